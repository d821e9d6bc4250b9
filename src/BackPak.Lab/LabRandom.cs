namespace BackPak.Lab
{
    /// <summary>
    /// SplitMix64: a tiny generator whose output is fixed by its algorithm, not by the runtime, so the same seed
    /// builds the same lab on every .NET version and platform.
    /// </summary>
    internal struct LabRandom
    {
        private ulong _state;

        public LabRandom(ulong seed) { _state = seed; }

        public static LabRandom For(int seed, long stream) =>
            new LabRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL ^ 0x5851F42D4C957F2DUL));

        public ulong NextUInt64()
        {
            ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return z ^ (z >> 31);
        }

        /// <summary>Uniform integer in [min, max).</summary>
        public int Next(int min, int max) => min + (int)(NextUInt64() % (ulong)(max - min));

        public long NextLong(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min));

        /// <summary>True with the given probability.</summary>
        public bool Chance(double p) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < p;

        public T Pick<T>(T[] items) => items[Next(0, items.Length)];
    }
}
