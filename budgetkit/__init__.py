"""budgetkit: read, reconcile and explore Chinese department budget disclosures.

The pipeline runs read → recognise → tidy → check → report/explore; each stage
lives in its own sub-package.  ``budgetkit.read`` is the front door.
"""
from budgetkit.errors import BadInputError
from budgetkit.disclosure import Disclosure, PrintedTable
from budgetkit import pipeline as _pipeline
from budgetkit.check import check
from budgetkit.yoy import compare
from budgetkit.execution import execution
from budgetkit.tidy.statements import statements
from budgetkit.score import score, score_many



def read(paths, doc_id: str | None = None, keep_going: bool = False, store=None, progress=None) -> Disclosure:
    """Read one disclosure (a path, or a list of paths that form one disclosure).

    Raises :class:`budgetkit.BadInputError` with a one-line reason for files that cannot be read, or that hold
    no table at all (a narrative half given without its tables).  With ``keep_going`` the readable files are
    still read and the failures are listed in ``.errors`` (nothing parsed is lost).  With ``store`` (a folder
    made by ``budgetkit build``) files already stored with the same sha256 and budgetkit version are loaded
    from it, not parsed.  ``progress(step, file, n, total)`` hears each step and PDF page (see
    :func:`budgetkit.pipeline.read`).
    """
    if store is not None:
        from budgetkit.store.query import load_disclosure

        stored = load_disclosure(_pipeline.as_paths(paths), store, doc_id=doc_id, keep_going=keep_going)
        if stored is not None:
            return stored
    return _pipeline.read(paths, doc_id=doc_id, keep_going=keep_going, progress=progress)


__all__ = ["read", "check", "compare", "score", "score_many", "execution", "statements", "Disclosure", "PrintedTable", "BadInputError"]
__version__ = "0.1.0"
