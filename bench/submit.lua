-- wrk script: resident submissions with valid CSRF tokens, spread over units and scores.
--
-- bench_load.py writes bench/_pool.lua (not committed) before the run:
--   pool  = { {cookie = "session=…", token = "…"}, … }   -- pre-fetched session + CSRF pairs
--   units = { "KAI-B01", … }                              -- units under the open survey
--   lang  = "fi"
-- Each request takes the next pair of the pool (round robin per thread), a unit and a score.
-- Status counts are collected per thread and written to the file named by WRK_RESULT.

local items = {"timely_access", "listened_to", "safety", "clear_information", "useful"}
local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   dofile(args[1])
   n = 0
   statuses = {}
   math.randomseed(id * 7919 + 17)
end

local function body()
   local parts = {"csrf_token=" .. pool[(n % #pool) + 1].token,
                  "recommend=" .. math.random(0, 10)}
   for _, item in ipairs(items) do
      local r = math.random(0, 6)
      if r == 6 then
         table.insert(parts, item .. "=cannot-say")
      elseif r > 0 then
         table.insert(parts, item .. "=" .. r)
      end
   end
   return table.concat(parts, "&")
end

function request()
   local pair = pool[(n % #pool) + 1]
   local unit = units[math.random(1, #units)]
   local request = wrk.format("POST", "/" .. lang .. "/s/" .. unit, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = pair.cookie,
   }, body())
   n = n + 1
   return request
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, count in pairs(counts) do
         totals[status] = (totals[status] or 0) + count
      end
   end
   local out = io.open(os.getenv("WRK_RESULT"), "w")
   out:write("{")
   local first = true
   for status, count in pairs(totals) do
      if not first then out:write(",") end
      out:write(string.format('"%d": %d', status, count))
      first = false
   end
   out:write("}\n")
   out:close()
end
