--[[
  save_state: compare-and-set users' packed sequence states, with TTL, atomically per user.
  Several users per call so that a batch costs a few script runs, not one per user.

  KEYS[1..n]          the users' state keys (<prefix>u:{<user_id>})
  ARGV[1]             TTL in seconds, refreshed on every save
  ARGV[2i], ARGV[2i+1] for KEYS[i]: the new packed state (format version 1; its header carries
                       the new revision), and the revision the writer read (0: no key)

  Returns an array of n codes (mapped to outcomes in src/store/save-codes.ts, the only place
  that reads them):
     1  saved
     0  conflict: the stored revision differs from the one read (another writer, e.g. a
        consumer that lost its partitions, got there first); nothing was written for that key
    -1  the stored value is not a packed state of format version 1; nothing was written

  The revision sits at bytes 4..7 (little-endian uint32) after the version byte at 0, so the
  script reads 8 bytes of each value, never the whole value.
]]
local ttl = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local head = redis.call('GETRANGE', key, 0, 7)
  local rev = 0
  local code = 1
  if #head > 0 then
    if #head < 8 or string.byte(head, 1) ~= 1 then
      code = -1
    else
      local b1, b2, b3, b4 = string.byte(head, 5, 8)
      rev = b1 + b2 * 256 + b3 * 65536 + b4 * 16777216
    end
  end
  if code == 1 and rev ~= tonumber(ARGV[2 * i + 1]) then
    code = 0
  end
  if code == 1 then
    redis.call('SET', key, ARGV[2 * i], 'EX', ttl)
  end
  out[i] = code
end
return out
