"""Page content streams read with pdfminer's meaning at a fraction of its cost.

Most of a PDF page's reading time goes to pdfminer's content-stream tokenizer, a byte-at-a-time state machine
in Python.  Here one compiled pattern splits a stream into the same tokens and the same operands (numbers, names,
strings, arrays, dictionaries) reach the same pdfminer operators in the same order, so every character, line and
rectangle comes out exactly as before.  pdfminer reads a stream in 4,096-byte chunks, and one construct reads
differently when a chunk ends inside it (a backslash-CR-LF in a string keeps its LF); that is reproduced.
Inline images, ``#`` escapes in names, strings or names left open at a stream's end and octal escapes above 255
are left to pdfminer's own parser.
"""
from __future__ import annotations

import re

from pdfminer import settings
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psexceptions import PSSyntaxError
from pdfminer.psparser import KWD, LIT, PSKeyword, keyword_name, literal_name
from pdfminer.utils import choplist

_CHUNK = 4096  # pdfminer's PSBaseParser.BUFSIZ: where its reading of a stream restarts

# one token, after the white space, NULs and comments before it (no named group: only those were left)
_TOKEN = re.compile(
    rb"(?:[\s\x00]+|%[^\r\n]*)*"
    rb"(?:(?P<num>[-+0-9][0-9]*(?:\.[0-9]*)?)"
    rb"|(?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|\((?P<str>[^()\\]*)\)"
    rb"|/(?P<lit>[^#/%\[\]()<>{}\s]*)(?P<hash>\#)?"
    rb"|(?P<flt>\.[0-9]*)"
    rb"|(?P<strx>\()"
    rb"|(?P<dopen><<)"
    rb"|<(?P<hex>[0-9a-fA-F\s]*)"
    rb"|(?P<dclose>>>)"
    rb"|(?P<gt>>)"
    rb"|(?P<other>.))?",
    re.S,
)
_SPACE = re.compile(rb"\s")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_STRING_STOP = re.compile(rb"[()\\]")
_OCTAL = b"01234567"
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13, ord("("): 40, ord(")"): 41,
            ord("\\"): 92}
_REFUSED = {KWD(b"BI"), KWD(b"ID"), KWD(b"EI")}
_TRUE, _FALSE = b"true", b"false"
_DICT_OPEN, _DICT_CLOSE = KWD(b"<<"), KWD(b">>")


class _Unread(Exception):
    """A stream this reader leaves to pdfminer."""


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """The literal string opening at ``data[i - 1]`` as pdfminer reads it, and the position after it.

    pdfminer looks one byte ahead only after a backslash-CR (to skip an LF with it), and not past the end of the
    4,096-byte chunk it holds: a backslash-CR last in a chunk keeps the LF the next chunk starts with."""
    out = bytearray()
    depth = 1
    n = len(data)
    while True:
        m = _STRING_STOP.search(data, i)
        if m is None:
            raise _Unread  # a string left open: pdfminer carries it into the next stream
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x28:  # (
            depth += 1
            out.append(c)
            i = j + 1
        elif c == 0x29:  # )
            depth -= 1
            if depth == 0:
                return bytes(out), j + 1
            out.append(c)
            i = j + 1
        else:  # a backslash: the escape starts at k
            k = j + 1
            if k >= n:
                raise _Unread
            e = data[k]
            if e in _OCTAL:
                digits = k
                while digits < n and digits - k < 3 and data[digits] in _OCTAL:
                    digits += 1
                code = int(data[k:digits], 8)
                if code >= 256:
                    raise _Unread  # pdfminer stops the page here with an assertion
                out.append(code)
                i = digits
            elif e in _ESCAPES:
                out.append(_ESCAPES[e])
                i = k + 1
            elif e == 0x0D and k + 1 < n and (k + 1) % _CHUNK and data[k + 1] == 0x0A:
                i = k + 2
            else:
                i = k + 1  # an unknown escape drops the character, as pdfminer does


def lex(data: bytes) -> list:
    """The tokens of one content stream as pdfminer's PSBaseParser yields them (raises _Unread otherwise)."""
    out: list = []
    add = out.append
    n = len(data)
    pos = 0
    while pos < n:
        for m in _TOKEN.finditer(data, pos):
            kind = m.lastgroup
            if kind == "num":
                text = m.group(kind)
                try:
                    add(float(text) if b"." in text else int(text))
                except ValueError:
                    pass  # a lone sign reads as nothing
            elif kind == "kw":
                word = m.group(kind)
                if word == _TRUE:
                    add(True)
                elif word == _FALSE:
                    add(False)
                else:
                    tok = KWD(word)
                    if tok in _REFUSED:
                        raise _Unread  # inline images: pdfminer seeks back into the stream
                    add(tok)
            elif kind == "str":
                add(m.group(kind))
            elif kind == "lit" or kind == "hash":
                if kind == "hash" or (m.end() == n and data[n - 1] == 0x2F):
                    raise _Unread  # '#' escapes; a bare '/' last in a stream runs on into the next one
                name = m.group(kind)
                try:
                    add(LIT(str(name, "utf-8")))
                except UnicodeDecodeError:
                    add(LIT(name))
            elif kind == "hex":
                if m.end() >= n:
                    raise _Unread  # open at the stream's end
                digits = _SPACE.sub(b"", m.group(kind))
                if len(digits) % 2:  # an odd digit out reads as its own byte
                    add(_HEX_PAIR.sub(lambda h: bytes((int(h.group(0), 16),)), digits))
                else:
                    add(bytes.fromhex(digits.decode("ascii")))
            elif kind == "strx":  # escapes or nested parentheses: read on by hand, then match again after it
                text, pos = _string(data, m.end())
                add(text)
                break
            elif kind == "flt":
                try:
                    add(float(m.group(kind)))
                except ValueError:
                    pass
            elif kind == "dopen":
                add(_DICT_OPEN)
            elif kind == "dclose":
                add(_DICT_CLOSE)
            elif kind == "gt":
                if m.end() >= n:
                    raise _Unread  # a lone '>' last in a stream pairs with the next stream's first byte
            elif kind == "other":
                add(KWD(m.group(kind)))
        else:
            return out
    return out


_ARRAY_BEGIN, _ARRAY_END = KWD(b"["), KWD(b"]")
_DICT_BEGIN, _DICT_END = KWD(b"<<"), KWD(b">>")
_PROC_BEGIN, _PROC_END = KWD(b"{"), KWD(b"}")
_OPENS = {_ARRAY_BEGIN: "a", _DICT_BEGIN: "d", _PROC_BEGIN: "p"}
_CLOSES = {_ARRAY_END: "a", _DICT_END: "d", _PROC_END: "p"}


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter with the content tokenized by :func:`lex`; streams it leaves go to pdfminer."""

    _ops: dict = {}

    def execute(self, streams) -> None:
        if settings.STRICT:
            return super().execute(streams)
        valid = []
        ids = set()
        for obj in streams:  # the same streams pdfminer would run (no loops through forms)
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                return super().execute(streams)
            valid.append(stream)
            ids.add(stream.objid)
        tokens: list = []
        try:
            for stream in valid:
                tokens += lex(stream.get_data())
        except Exception:  # noqa: BLE001 - _Unread, or a stream pdfminer must fail on in its own way
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(ids)
        self._run(tokens)

    def _run(self, tokens: list) -> None:
        """Build operands and call operators as PSStackParser.nextobject and PDFPageInterpreter.execute do
        (``self.pop`` inlined: the operands are the top ``nargs`` of ``self.argstack``, which an operator may
        replace)."""
        context: list = []
        curtype = None
        stack: list = []
        ops = self._ops
        bound: dict = {}
        argstack = self.argstack
        for tok in tokens:
            if type(tok) is not PSKeyword:
                if context:
                    stack.append(tok)
                else:
                    argstack.append(tok)
                continue
            if tok in _OPENS:
                context.append((curtype, stack))
                curtype, stack = _OPENS[tok], []
                continue
            if tok in _CLOSES:
                if curtype != _CLOSES[tok]:
                    continue  # a closer with nothing open to close reads as nothing
                objs = stack
                curtype, stack = context.pop()
                if tok is _DICT_END:
                    if len(objs) % 2:
                        raise PSSyntaxError(f"Invalid dictionary construct: {objs!r}")
                    objs = {literal_name(k): v for (k, v) in choplist(2, objs) if v is not None}
                if context:
                    stack.append(objs)
                else:
                    argstack.append(objs)
                continue
            if context:
                stack.append(tok)
                continue
            op = bound.get(tok)
            if op is None:
                spec = ops.get(tok)
                if spec is None:
                    name = keyword_name(tok)
                    method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                    func = getattr(self, method, None)
                    spec = ops[tok] = (method, func.__code__.co_argcount - 1) if func is not None else ("", 0)
                op = bound[tok] = (getattr(self, spec[0]) if spec[0] else None, spec[1])
            func, nargs = op
            if func is None:
                continue
            if nargs:
                args = argstack[-nargs:]
                self.argstack = argstack = argstack[:-nargs]
                if len(args) == nargs:
                    func(*args)
            else:
                func()
            argstack = self.argstack


def layout(page):
    """The page's pdfminer layout, as pdfplumber's ``Page.layout`` builds it, with :class:`FastInterpreter`;
    pdfplumber reads characters, lines and rectangles from it as before."""
    if hasattr(page, "_layout"):
        return page._layout
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent
    from pdfplumber.utils.exceptions import PdfminerException

    def run(interpreter_class):
        device = PDFPageAggregatorWithMarkedContent(page.pdf.rsrcmgr, pageno=page.page_number,
                                                    laparams=page.pdf.laparams)
        interpreter_class(page.pdf.rsrcmgr, device).process_page(page.page_obj)
        return device.get_result()

    try:
        page._layout = run(FastInterpreter)
    except Exception:  # noqa: BLE001 - whatever the fast path trips on, pdfminer's own interpreter reads afresh
        try:
            page._layout = run(PDFPageInterpreter)
        except Exception as e:
            raise PdfminerException(e)
    return page._layout
