"""User-facing errors: one line, the file, the reason — never a traceback."""


class BadInputError(Exception):
    """An input file cannot be read as a disclosure.

    ``message`` is Chinese with an English rendering beside it, e.g.
    ``文件不存在 / file not found``.
    """

    def __init__(self, path, reason_zh: str, reason_en: str):
        self.path = str(path)
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(f"{self.path}: {reason_zh} / {reason_en}")
