--[[
  save_state: compare-and-set one user's packed sequence state, with TTL, atomically.

  KEYS[1]  the user's state key (<prefix>u:{<user_id>})
  ARGV[1]  the new packed state (format version 1; its header carries the new revision)
  ARGV[2]  TTL in seconds, refreshed on every save
  ARGV[3]  the revision the writer read (0: the key did not exist)

  Returns (mapped to outcomes in src/store/save-codes.ts, the only place that reads them):
     1  saved
     0  conflict: the stored revision differs from ARGV[3] (another writer, e.g. a consumer that
        lost its partitions, got there first); nothing was written
    -1  the stored value is not a packed state of format version 1; nothing was written

  The revision sits at bytes 4..7 (little-endian uint32) after the version byte at 0, so the
  script reads 8 bytes, never the whole value.
]]
local head = redis.call('GETRANGE', KEYS[1], 0, 7)
local rev = 0
if #head > 0 then
  if #head < 8 or string.byte(head, 1) ~= 1 then
    return -1
  end
  local b1, b2, b3, b4 = string.byte(head, 5, 8)
  rev = b1 + b2 * 256 + b3 * 65536 + b4 * 16777216
end
if rev ~= tonumber(ARGV[3]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return 1
