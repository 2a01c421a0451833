// Calls that go round the emulator's profiles one after the other: a read of the next profile,
// or a write that flips its opt-out, so that every write really changes something.

/** Lists the profiles through `client`; returns `{reading, flipping}` call makers over them. */
export async function profileCycle(client) {
  const current = new Map();
  for await (const profile of client.listProfiles()) current.set(profile.PKey, profile.ccpaOptOut);
  const pkeys = [...current.keys()];
  let next = 0;
  const nextPkey = () => pkeys[next++ % pkeys.length];
  return {
    /** One call of `get(pkey)` on the next profile, which must answer with that profile. */
    reading: (get) => async () => {
      const pkey = nextPkey();
      const profile = await get(pkey);
      if (profile.PKey !== pkey) throw new Error(`read ${profile.PKey} for ${pkey}`);
    },
    /** One call of `op(pkey, value)` with the next profile's value flipped; `false` means it did not write. */
    flipping: (op) => async () => {
      const pkey = nextPkey();
      const wanted = !current.get(pkey);
      if (await op(pkey, wanted) === false) throw new Error('expected a PATCH every time');
      current.set(pkey, wanted);
    },
  };
}
