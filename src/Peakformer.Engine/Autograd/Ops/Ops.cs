using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

/// <summary>
/// The differentiable operations. Each takes the tape first, allocates its output on the tape,
/// and records a node with a hand-written backward when an input requires a gradient.
/// Shape errors name the operation and the shapes involved.
/// </summary>
public static partial class Ops
{
    /// <summary>Checks that <paramref name="b"/> equals <paramref name="a"/> or is a trailing part of it; returns b's size.</summary>
    private static int SuffixBroadcast(string op, Shape a, Shape b)
    {
        bool ok = b.Rank <= a.Rank;
        for (int i = 1; ok && i <= b.Rank; i++) ok = a[a.Rank - i] == b[b.Rank - i];
        if (!ok) throw new ArgumentException($"{op}: shape {b} cannot broadcast onto {a} (it must equal the trailing dimensions).");
        return b.Size;
    }

    private static void SameShape(string op, Shape a, Shape b)
    {
        if (a != b) throw new ArgumentException($"{op}: shapes {a} and {b} differ.");
    }
}
