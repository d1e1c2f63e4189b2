-- wrk scenario: weighted requests read from the file in LOAD_REQUESTS (written by `python -m load`).
-- One line per request: weight, label, method, path, headers (name: value, separated by |), body,
-- all separated by tabs. A path containing {pool:NAME} takes the next entry of the pool file
-- LOAD_POOL_NAME (one value per line, each used once across threads: decisions change a case),
-- from LOAD_POOL_OFFSET on (each wrk run of `make load` takes its own part of the pool).
-- Every request carries an X-Forwarded-For address drawn from 10.0.0.0/8, as the trusted proxy in
-- front of the service adds it: many public clients, each within the public API's rate limit.
-- An error is a socket error, a status >= 400, or a redirect to the login or second-factor page.

local entries = {}
local total = 0
local pools = {}
local threads = {}
local counter = 0
bad = 0  -- globals: thread:set / thread:get reach them
tid = 0
local nthreads = 1
local pool_offset = 0

local function split(line, sep)
  local out = {}
  for field in (line .. sep):gmatch("(.-)" .. sep) do table.insert(out, field) end
  return out
end

local function read_pool(name)
  if pools[name] == nil then
    local values = {}
    for line in io.lines(os.getenv("LOAD_POOL_" .. name)) do table.insert(values, line) end
    pools[name] = values
  end
  return pools[name]
end

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(os.getenv("LOAD_THREADS") or "1")
  pool_offset = tonumber(os.getenv("LOAD_POOL_OFFSET") or "0")
  math.randomseed(os.time() + tid * 7919)
  for line in io.lines(os.getenv("LOAD_REQUESTS")) do
    local f = split(line, "\t")
    local headers = {}
    for h in f[5]:gmatch("[^|]+") do
      local k, v = h:match("^([^:]+):%s*(.*)$")
      headers[k] = v
    end
    total = total + tonumber(f[1])
    local pool = f[4]:match("{pool:(%w+)}")
    table.insert(entries, {
      cum = total, label = f[2], method = f[3], path = f[4], headers = headers,
      body = f[6] ~= "" and f[6] or nil, pool = pool, next = 0,
    })
  end
end

local function pick()
  local r = math.random() * total
  for _, e in ipairs(entries) do
    if r <= e.cum then return e end
  end
  return entries[#entries]
end

function request()
  local e = pick()
  local path = e.path
  if e.pool then
    local values = read_pool(e.pool)
    local index = pool_offset + tid + 1 + e.next * nthreads
    e.next = e.next + 1
    if index > #values then
      -- pool used up: fall back to the first entry without a pool
      for _, other in ipairs(entries) do
        if not other.pool then e = other; path = other.path; break end
      end
    else
      path = path:gsub("{pool:%w+}", values[index])
    end
  end
  local headers = {}
  for k, v in pairs(e.headers) do headers[k] = v end
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  counter = counter + 1
  return wrk.format(e.method, path, headers, e.body)
end

function response(status, headers, body)
  if status >= 400 then
    bad = bad + 1
  elseif status >= 300 then
    local location = headers["Location"] or headers["location"] or ""
    if location:find("/accounts/login") or location:find("/accounts/otp") then bad = bad + 1 end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local flagged = 0
  for _, thread in ipairs(threads) do flagged = flagged + (thread:get("bad") or 0) end
  io.write(string.format(
    'LOADJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "socket_errors": %d, "bad": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors, flagged))
end
