using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

/// <summary>
/// The reverse-mode tape. Operations (see <see cref="Ops"/>) take their output memory from the
/// tape's arena and, when a gradient is wanted, record a node. <see cref="Backward"/> walks the
/// nodes in reverse. <see cref="Reset"/> rewinds everything for the next step: the same sequence of
/// operations then reuses the same memory and node objects, so steady-state steps allocate nothing.
/// Tensors made by a tape are valid until its next reset.
/// </summary>
public sealed class Tape
{
    public const string CheckFiniteVariable = "PEAKFORMER_CHECK_FINITE";

    private readonly TensorArena _arena = new();
    private readonly List<Tensor> _tensors = [];
    private int _tensorsUsed;
    private readonly List<Node> _nodes = [];
    private List<Node>[] _nodePools = [];
    private int[] _nodePoolUsed = [];

    public Tape(bool gradients = true)
    {
        GradientsEnabled = gradients;
    }

    /// <summary>When false (inference), no nodes are recorded and no gradients flow.</summary>
    public bool GradientsEnabled { get; set; }

    /// <summary>Checked mode: every operation's output and every gradient is scanned for NaN/Inf.</summary>
    public bool CheckFinite { get; set; } = Environment.GetEnvironmentVariable(CheckFiniteVariable) is "1" or "true";

    /// <summary>When set, time per operation is added to it (forward and backward).</summary>
    public OperationProfile? Profile { get; set; }

    /// <summary>Number of recorded nodes since the last reset.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>A tensor with uninitialised contents.</summary>
    public Tensor Empty(Shape shape) => Take(shape, zero: false);

    public Tensor Zeros(Shape shape) => Take(shape, zero: true);

    public Tensor From(ReadOnlySpan<float> values, Shape shape)
    {
        if (values.Length != shape.Size)
            throw new ArgumentException($"Tape.From: {values.Length} values do not fill shape {shape} ({shape.Size} elements).");
        var t = Take(shape, zero: false);
        values.CopyTo(t.Data);
        return t;
    }

    /// <summary>Scratch memory valid until the next reset (saved activations, masks).</summary>
    internal (float[] Buffer, int Offset) Scratch(int length, bool zero = false) => _arena.Rent(length, zero);

    /// <summary>A tensor that shares another tensor's memory under a new shape.</summary>
    internal Tensor View(Tensor source, Shape shape)
    {
        if (shape.Size != source.Shape.Size)
            throw new ArgumentException($"View: cannot view {source.Shape} ({source.Shape.Size} elements) as {shape} ({shape.Size} elements).");
        var t = NextTensor();
        t.Bind(shape, source.Buffer, source.Offset);
        return t;
    }

    private Tensor Take(Shape shape, bool zero)
    {
        var (buffer, offset) = _arena.Rent(Math.Max(1, shape.Size), zero);
        var t = NextTensor();
        t.Bind(shape, buffer, offset);
        return t;
    }

    private Tensor NextTensor()
    {
        if (_tensorsUsed == _tensors.Count) _tensors.Add(new Tensor());
        return _tensors[_tensorsUsed++];
    }

    /// <summary>True when an operation on these inputs must record a node.</summary>
    internal bool Wants(Tensor a) => GradientsEnabled && a.RequiresGrad;
    internal bool Wants(Tensor a, Tensor? b) => GradientsEnabled && (a.RequiresGrad || (b?.RequiresGrad ?? false));
    internal bool Wants(Tensor a, Tensor? b, Tensor? c) => GradientsEnabled && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    /// <summary>A pooled node of the given type, attached to its output and recorded.</summary>
    internal T Record<T>(Tensor output) where T : Node, new()
    {
        int id = NodeKind<T>.Id;
        if (id >= _nodePools.Length)
        {
            Array.Resize(ref _nodePools, id + 8);
            Array.Resize(ref _nodePoolUsed, id + 8);
        }
        var pool = _nodePools[id] ??= [];
        T node;
        if (_nodePoolUsed[id] < pool.Count) node = (T)pool[_nodePoolUsed[id]];
        else pool.Add(node = new T());
        _nodePoolUsed[id]++;
        node.Output = output;
        output.RequiresGrad = true;
        _nodes.Add(node);
        return node;
    }

    /// <summary>Called by every operation on its output: checked mode scans it.</summary>
    internal Tensor Produced(Tensor output, string operation)
    {
        if (CheckFinite) ThrowIfNotFinite(output.Data, operation, "output");
        Profile?.Forward(operation);
        return output;
    }

    /// <summary>The gradient buffer of a tensor, created zeroed on first use.</summary>
    internal Tensor GradOf(Tensor t)
    {
        if (t.Grad is null)
        {
            var (buffer, offset) = _arena.Rent(Math.Max(1, t.Shape.Size), zero: true);
            var g = NextTensor();
            g.Bind(t.Shape, buffer, offset);
            t.Grad = g;
        }
        return t.Grad;
    }

    /// <summary>
    /// The gradient buffer of a tensor for an operation that writes every element: a new buffer is not zeroed and
    /// the caller overwrites it (Accumulate = false); an existing one is added to (Accumulate = true).
    /// </summary>
    internal (Tensor Grad, bool Accumulate) GradTarget(Tensor t)
    {
        if (t.Grad is not null) return (t.Grad, true);
        var (buffer, offset) = _arena.Rent(Math.Max(1, t.Shape.Size), zero: false);
        var g = NextTensor();
        g.Bind(t.Shape, buffer, offset);
        t.Grad = g;
        return (g, false);
    }

    /// <summary>Back-propagates from a scalar loss (seed gradient 1).</summary>
    public void Backward(Tensor loss)
    {
        if (loss.Shape.Size != 1)
            throw new ArgumentException($"Backward: the loss must have one element, got shape {loss.Shape}.");
        if (!loss.RequiresGrad)
            throw new InvalidOperationException("Backward: the loss does not depend on any tensor that requires a gradient.");
        GradOf(loss).Data[0] += 1f;
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.Output.Grad is null) continue;
            if (CheckFinite) ThrowIfNotFinite(node.Output.Grad.Data, node.Name, "output gradient");
            long start = Profile is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            node.Backward(this);
            if (Profile is not null) Profile.Backward(node.Name, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>Forgets all nodes and tensors of the last step; their memory is reused.</summary>
    public void Reset()
    {
        Profile?.MarkStart();
        _nodes.Clear();
        Array.Clear(_nodePoolUsed);
        _tensorsUsed = 0;
        _arena.Reset();
    }

    private static void ThrowIfNotFinite(ReadOnlySpan<float> values, string operation, string what)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new NonFiniteException($"{operation}: {what} element {i} of {values.Length} is {values[i]} (checked mode, {CheckFiniteVariable}).");
    }

    private static class NodeKind<T>
    {
        public static readonly int Id = NodeKinds.Next();
    }

    private static class NodeKinds
    {
        private static int _next = -1;
        public static int Next() => Interlocked.Increment(ref _next);
    }
}
