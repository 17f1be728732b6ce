-- wrk script: each request is a new anonymous report, with its own form
-- token so that none is taken for a double click.  The CSRF cookie and
-- token come from the environment (bench/reports.sh fetches them).
local csrf = os.getenv("VIGIE_CSRF")
local cookie = os.getenv("VIGIE_COOKIE")
local counter = 0
local tid = 0

function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end

function request()
  counter = counter + 1
  -- 43 characters, unique per thread and request.
  local sub = string.format("bench%04d%034d", tid, counter)
  local body = "csrf=" .. csrf .. "&submission=" .. sub ..
    "&category=harcelement&url=https%3A%2F%2Fexample.org%2Fpost%2F" ..
    counter .. "&minor=non&relation=temoin&description=Message+de+test"
  return wrk.format("POST", "/signaler", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Cookie"] = cookie,
  }, body)
end
