"""Running notebooks in a fresh kernel of this very Python: what ``assign``, ``grade`` and ``run`` share.

Functions
---------
current_env_kernel_manager()
    A kernel manager whose kernels run ``sys.executable``, whatever kernelspecs the machine has.
execute(nb, cwd, timeout=300, name="notebook")
    Run a notebook top to bottom; a failing cell raises :class:`NotebookRunError`.
merge_streams(nb)
    Merge each code cell's consecutive stream outputs of one name, so saved outputs do not depend on timing.
run_in_place(paths, timeout=300)
    Execute notebooks and save them with their outputs (``energylab run``).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["NotebookRunError", "current_env_kernel_manager", "execute", "merge_streams", "run_in_place"]


class NotebookRunError(RuntimeError):
    """A notebook raised while it was run; the message names the notebook, the cell and the error."""


def current_env_kernel_manager():
    """A kernel manager that runs this very Python, whatever kernelspecs the machine has.

    Returns
    -------
    jupyter_client.manager.AsyncKernelManager
        Its kernels run ``sys.executable -m ipykernel_launcher``, so they import the same ``energylab``
        as the caller (an installed kernelspec could point at another environment).
    """
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class CurrentEnv(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name="Python 3 (ipykernel)", language="python")

    # The asynchronous manager: with the blocking one, nbclient's per-cell timeout never fires.
    return AsyncKernelManager(kernel_spec_manager=CurrentEnv(), kernel_name="python3")


def merge_streams(nb):
    """Merge each code cell's consecutive stream outputs of one name (stdout, stderr) into one output.

    The kernel sends printed text in chunks cut by a flush timer, so one ``print`` or two in a row can
    arrive as one output or several depending on timing; merged, the saved notebook is the same on every
    run. Only neighbours merge: text printed before and after a displayed value stays on either side of
    it, and stdout and stderr stay separate outputs. As in JupyterLab's display, a carriage return
    inside a line keeps only what was written after it (a progress bar's last state).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook; its cells' outputs are replaced in place.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook.
    """
    # nbconvert's own preprocessor (a class since nbconvert 7.14; jupyterlab brings nbconvert); nbclient's
    # coalesce_streams option would also merge stdout across displayed values and reorder stdout and stderr.
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    return nb


def execute(nb, cwd: Path, timeout: int = 300, name: str = "notebook"):
    """Run a notebook top to bottom in a fresh kernel of this Python; returns the executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook; its cells receive their outputs in place.
    cwd : Path
        The kernel's working folder (where the notebook's relative paths point).
    timeout : int
        Seconds each cell may run, in s.
    name : str
        What error messages call the notebook (usually its path).

    Raises
    ------
    NotebookRunError
        A cell raised: the message names the notebook, the cell's first line and the error.

    Notes
    -----
    Stream outputs are merged with :func:`merge_streams`, so running a notebook twice saves the same file.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    client = NotebookClient(nb, km=current_env_kernel_manager(), timeout=timeout, record_timing=False,
                            allow_errors=False, resources={"metadata": {"path": str(cwd)}})
    try:
        # cleanup_kc: shut the kernel down afterwards (we pass our own manager); the kernel's own stderr
        # (start-up warnings, shutdown noise) says nothing a reader can act on: cell errors arrive as messages.
        client.execute(cleanup_kc=True, stderr=subprocess.DEVNULL)
    except CellTimeoutError:
        raise NotebookRunError(f"{name}: a cell ran past the time limit of {timeout} s") from None
    except CellExecutionError as error:
        # str(error) is "An error occurred while executing the following cell:", a rule, then the source
        lines = [line.strip() for line in str(error).splitlines()[1:]]
        first_line = next((line for line in lines if line and not set(line) <= {"-"}), "")
        raise NotebookRunError(f"{name}: a cell failed ({error.ename}: {error.evalue}); it begins "
                               f"{first_line!r}") from None
    return merge_streams(nb)


def run_in_place(paths, timeout: int = 300) -> None:
    """Execute notebooks (chapters, solutions) and save them with their outputs.

    Parameters
    ----------
    paths : iterable of str or Path
        The notebooks, each run in its own folder.
    timeout : int
        Seconds each cell may run, in s.
    """
    import nbformat
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        nbformat.write(execute(nb, cwd=path.parent, timeout=timeout, name=str(path)), path)
