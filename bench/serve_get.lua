-- wrk script for bench/serve.sh: random reads of a samestory serve index. 70% an article
-- (/articles/aN, N below SAMESTORY_IDS: the ids bench/gen_stories.py writes), 20% a story
-- (/stories/N, N up to SAMESTORY_STORIES), 10% the newest stories (/stories?limit=20).
local ids = tonumber(os.getenv("SAMESTORY_IDS") or "1000")
local stories = tonumber(os.getenv("SAMESTORY_STORIES") or "1000")

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  local roll = math.random()
  local path
  if roll < 0.7 then
    path = "/articles/a" .. math.random(0, ids - 1)
  elseif roll < 0.9 then
    path = "/stories/" .. math.random(1, stories)
  else
    path = "/stories?limit=20"
  end
  return wrk.format("GET", path)
end
