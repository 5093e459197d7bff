using System.Runtime.Intrinsics;
namespace Peakformer.Engine.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, small, and the same sequence on every platform and
/// .NET version (System.Random's seeded algorithm is not a documented contract).
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public Rng(ulong seed) => Reseed(seed);

    public ulong Seed { get; private set; }

    /// <summary>
    /// Starts this generator over exactly as <c>new Rng(seed)</c> would start, without allocating one: for a stream
    /// per item drawn in a hot loop (e.g. one per image of every batch).
    /// </summary>
    public void Reseed(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _spareNormal = null;
    }

    /// <summary>Length of <see cref="GetState"/>: the four state words, whether a normal is spare, and its bits.</summary>
    public const int StateLength = 6;

    /// <summary>Where the stream is, so a resumed run continues it exactly (e.g. a dropout stream across epochs).</summary>
    public ulong[] GetState() =>
        [_s0, _s1, _s2, _s3, _spareNormal.HasValue ? 1UL : 0UL, BitConverter.DoubleToUInt64Bits(_spareNormal ?? 0)];

    /// <summary>Continues the stream from a <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateLength) throw new ArgumentException($"Rng: a state has {StateLength} words, found {state.Length}.");
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("Rng: an all-zero state never leaves zero.");
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _spareNormal = state[4] != 0 ? BitConverter.UInt64BitsToDouble(state[5]) : null;
    }

    /// <summary>An independent stream derived from this seed and a stream index (for per-event or per-thread generators).</summary>
    public static Rng ForStream(ulong seed, ulong stream) => new(Mix(seed, stream));

    /// <summary>A well-mixed 64-bit hash of two values (the seed of a derived stream).</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        ulong x = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        return SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) as a float with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"NextInt: bound must be positive, got {n}.");
        return (int)((NextUInt64() >> 33) * (ulong)n >> 31);
    }

    /// <summary>Standard normal (Box-Muller, both values used).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// Fills destination with Normal(0, sigma) values by Box-Muller on 16 lanes at once (24-bit uniforms, vector
    /// log and sin/cos) when the Vector512 variant is in force; the scalar loop is the reference, and runs under
    /// Reference and Vector256 (there is no 256-bit body). The values differ between the two, so the variant in
    /// force, not the hardware, decides.
    /// </summary>
    public void FillNormal(Span<float> destination, float sigma)
    {
        int i = 0;
        if (Kernels.KernelSettings.Variant == Kernels.KernelVariant.Vector512)
        {
            Span<float> u1 = stackalloc float[16];
            Span<float> u2 = stackalloc float[16];
            var twoPi = Vector512.Create(2 * MathF.PI);
            var minusTwo = Vector512.Create(-2f);
            var s = Vector512.Create(sigma);
            for (; i <= destination.Length - 32; i += 32)
            {
                for (int k = 0; k < 16; k++)
                {
                    ulong bits = NextUInt64();
                    u1[k] = ((bits >> 40) + 1) * (1.0f / (1 << 24));          // (0, 1]: log is finite
                    u2[k] = ((bits >> 16) & 0xFFFFFF) * (1.0f / (1 << 24));
                }
                var r = Vector512.Sqrt(minusTwo * Vector512.Log(Vector512.Create((ReadOnlySpan<float>)u1))) * s;
                var (sin, cos) = Vector512.SinCos(twoPi * Vector512.Create((ReadOnlySpan<float>)u2));
                (r * cos).CopyTo(destination.Slice(i, 16));
                (r * sin).CopyTo(destination.Slice(i + 16, 16));
            }
        }
        for (; i < destination.Length; i++) destination[i] = (float)(sigma * NextNormal());
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
