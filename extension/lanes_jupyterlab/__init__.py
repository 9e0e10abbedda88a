"""Lanes renderers for JupyterLab: the prebuilt labextension lives in ``labextension/``."""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "lanes-jupyterlab"}]
