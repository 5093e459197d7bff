using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Peakformer.Engine.Tensors;

/// <summary>
/// A bump allocator of 64-byte aligned float segments inside large pinned arrays.
/// A training step asks for the same sequence of sizes every time, so after <see cref="Reset"/>
/// the same segments come back and steady-state steps allocate nothing.
/// </summary>
internal sealed class TensorArena
{
    private const int ChunkFloats = 1 << 22; // 16 MiB
    private const int AlignFloats = 16;      // 64 bytes

    private readonly List<(float[] Array, int Base)> _chunks = [];
    private int _chunk;
    private int _position;

    /// <summary>Floats handed out since the last reset (for diagnostics).</summary>
    public long InUse { get; private set; }

    public (float[] Buffer, int Offset) Rent(int length, bool zero)
    {
        int padded = (length + AlignFloats - 1) & ~(AlignFloats - 1);
        while (true)
        {
            if (_chunk == _chunks.Count) _chunks.Add(NewChunk(Math.Max(ChunkFloats, padded)));
            var (array, start) = _chunks[_chunk];
            if (start + _position + padded <= array.Length)
            {
                int offset = start + _position;
                _position += padded;
                InUse += padded;
                if (zero) array.AsSpan(offset, length).Clear();
                return (array, offset);
            }
            if (_position == 0)
            {
                // Too small even when empty: replace it with a large enough chunk.
                _chunks[_chunk] = NewChunk(padded);
                continue;
            }
            _chunk++;
            _position = 0;
        }
    }

    public void Reset()
    {
        _chunk = 0;
        _position = 0;
        InUse = 0;
    }

    private static unsafe (float[] Array, int Base) NewChunk(int floats)
    {
        var array = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int misalignment = (int)(address & 63) / sizeof(float);
        int start = misalignment == 0 ? 0 : AlignFloats - misalignment;
        return (array, start);
    }
}
