"""Writing Lua source from the vector generators.

lua_str(s) is a Lua string literal of s: a str is written as its UTF-8
bytes, a bytes object (a Python 2.7 str read as Latin-1 and encoded back)
as those bytes.  Printable ASCII stays as it is, quotes and backslashes
are escaped, and every other byte is a decimal escape, so the vector files
are plain ASCII whatever they hold.
"""


def lua_str(s):
    data = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    out = ['"']
    for byte in data:
        ch = chr(byte)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append("\\%03d" % byte)
    out.append('"')
    return "".join(out)
