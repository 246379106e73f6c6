-- proc.lua -- what the harness's own specs need to run a command and
-- look at what it did: quoting for sh, a run with stderr kept apart, and
-- temporary files.  Loaded with dofile by the *_spec.lua files beside it.

local P = {}

-- s as one sh word
function P.q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- A file's text, or nil when it cannot be read.
function P.slurp(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- A new temporary file holding 'text' (bytes); its path.
function P.temp(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- Run the sh command 'cmd'; the exit status (or signal number), stdout,
-- stderr, and "exit" or "signal".
function P.run(cmd)
  local errfile = os.tmpname()
  local f = assert(io.popen(cmd .. " 2>" .. P.q(errfile), "r"))
  local out = f:read("a")
  local _, how, code = f:close()
  local err = P.slurp(errfile) or ""
  os.remove(errfile)
  return code, out, err, how
end

return P
