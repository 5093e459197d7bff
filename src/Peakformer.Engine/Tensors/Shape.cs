using System.Runtime.CompilerServices;
using System.Text;

namespace Peakformer.Engine.Tensors;

/// <summary>An immutable tensor shape of rank 0..6, stored inline so creating one never allocates.</summary>
public readonly struct Shape : IEquatable<Shape>
{
    public const int MaxRank = 6;

    [InlineArray(MaxRank)]
    private struct Dims { private int _first; }

    private readonly Dims _dims;

    public int Rank { get; }

    public Shape(params ReadOnlySpan<int> dims)
    {
        if (dims.Length > MaxRank)
            throw new ArgumentException($"Shape: rank {dims.Length} exceeds the maximum of {MaxRank}.");
        Rank = dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0) throw new ArgumentException($"Shape: dimension {i} is negative ({dims[i]}).");
            _dims[i] = dims[i];
        }
    }

    public int this[int axis]
    {
        get
        {
            if (axis < 0) axis += Rank;
            if ((uint)axis >= (uint)Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} of a rank-{Rank} shape {this}");
            return _dims[axis];
        }
    }

    /// <summary>Number of elements.</summary>
    public int Size
    {
        get
        {
            long size = 1;
            for (int i = 0; i < Rank; i++) size *= _dims[i];
            if (size > int.MaxValue) throw new OverflowException($"Shape {this} has more than int.MaxValue elements.");
            return (int)size;
        }
    }

    /// <summary>Last dimension (1 for a scalar).</summary>
    public int Last => Rank == 0 ? 1 : _dims[Rank - 1];

    /// <summary>Product of all dimensions but the last: the number of rows when viewed as a matrix.</summary>
    public int Rows => Rank == 0 ? 1 : Size / Math.Max(1, Last);

    public int[] ToArray()
    {
        var result = new int[Rank];
        for (int i = 0; i < Rank; i++) result[i] = _dims[i];
        return result;
    }

    /// <summary>The same shape with the last dimension replaced.</summary>
    public Shape WithLast(int last)
    {
        Span<int> d = stackalloc int[Math.Max(1, Rank)];
        for (int i = 0; i < Rank; i++) d[i] = _dims[i];
        if (Rank == 0) return new Shape(last);
        d[Rank - 1] = last;
        return new Shape(d[..Rank]);
    }

    /// <summary>The same shape with one axis replaced.</summary>
    public Shape With(int axis, int value)
    {
        if (axis < 0) axis += Rank;
        Span<int> d = stackalloc int[Rank];
        for (int i = 0; i < Rank; i++) d[i] = _dims[i];
        d[axis] = value;
        return new Shape(d);
    }

    /// <summary>The shape without one axis.</summary>
    public Shape Without(int axis)
    {
        if (axis < 0) axis += Rank;
        Span<int> d = stackalloc int[Rank];
        int n = 0;
        for (int i = 0; i < Rank; i++) if (i != axis) d[n++] = _dims[i];
        return new Shape(d[..n]);
    }

    public bool Equals(Shape other)
    {
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++) if (_dims[i] != other._dims[i]) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    public override int GetHashCode()
    {
        var h = new HashCode();
        for (int i = 0; i < Rank; i++) h.Add(_dims[i]);
        return h.ToHashCode();
    }

    public static bool operator ==(Shape a, Shape b) => a.Equals(b);
    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    public override string ToString()
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < Rank; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_dims[i]);
        }
        return sb.Append(']').ToString();
    }
}
