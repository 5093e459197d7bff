using System.Runtime.InteropServices;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Onnx;

/// <summary>
/// An ONNX graph being built for one model (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>, standard
/// operators only): inputs and outputs with symbolic axes, the model's parameters as float initializers under their
/// PyTorch names (each once, as stored), constants, and nodes whose outputs get fresh names. Layers add themselves
/// through their ExportOnnx methods; <see cref="ToBytes"/> writes the ModelProto.
/// </summary>
public sealed class OnnxGraph
{
    public const int Opset = 17;
    public const int IrVersion = 8;
    private const int FloatType = 1, Int64Type = 7;

    private readonly string _name;
    private readonly Dictionary<Tensor, string> _parameterNames = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _initialized = [];
    private readonly HashSet<string> _names = [];
    private readonly List<ProtoWriter> _nodes = [], _initializers = [], _inputs = [], _outputs = [];

    /// <param name="root">The model whose parameters the graph names (by <see cref="Module.NamedParameters"/>).</param>
    public OnnxGraph(Module root, string name)
    {
        _name = name;
        // Every parameter name is reserved up front, so no constant or node output can take one.
        foreach (var (parameterName, parameter) in root.NamedParameters())
        {
            _parameterNames[parameter.Value] = parameterName;
            Claim(parameterName);
        }
    }

    /// <summary>A graph input of float32 elements; a string dimension is symbolic (e.g. "batch").</summary>
    public string Input(string name, params object[] dims)
    {
        Claim(name);
        _inputs.Add(ValueInfo(name, dims));
        return name;
    }

    /// <summary>Names <paramref name="value"/> as a graph output (through an Identity node when it has another name).</summary>
    public void Output(string value, string name, params object[] dims)
    {
        if (value != name) Node("Identity", [value], name);
        _outputs.Add(ValueInfo(name, dims));
    }

    /// <summary>The initializer holding a parameter, under the name the model's state dict gives it.</summary>
    public string Parameter(Parameter parameter)
    {
        if (!_parameterNames.TryGetValue(parameter.Value, out var name))
            throw new ArgumentException($"OnnxGraph: a parameter of shape {parameter.Shape} is not one of the exported model's.");
        if (_initialized.Add(name))
        {
            _initializers.Add(FloatTensor(name, parameter.Value.Data, parameter.Shape.ToArray().Select(d => (long)d).ToArray()));
        }
        return name;
    }

    /// <summary>A float constant of the given shape (a scalar when no dimensions are given).</summary>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        string name = Fresh(hint);
        _initializers.Add(FloatTensor(name, values, dims));
        return name;
    }

    /// <summary>A one-dimensional int64 constant (shapes, axes, indices); an empty <paramref name="dims"/> and one value make a scalar.</summary>
    public string Int64s(string hint, long[] values, long[]? dims = null)
    {
        RequireLittleEndian();
        string name = Fresh(hint);
        var tensor = new ProtoWriter();
        foreach (long d in dims ?? [values.Length]) tensor.Int64(1, d);
        tensor.Int64(2, Int64Type).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, string? output = null, params (string Name, object Value)[] attributes) =>
        Nodes(op, inputs, 1, output is null ? null : [output], attributes)[0];

    /// <summary>Adds a node with several outputs (e.g. Split) and returns their names.</summary>
    public string[] Nodes(string op, string[] inputs, int outputs, string[]? names = null, params (string Name, object Value)[] attributes)
    {
        var outs = names ?? Enumerable.Range(0, outputs).Select(_ => Fresh(op)).ToArray();
        if (names is not null) foreach (var n in names) Claim(n);
        var node = new ProtoWriter();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outs) node.String(2, o);
        node.String(3, Fresh(op + "_node")).String(4, op);
        foreach (var (name, value) in attributes) node.Message(5, Attribute(name, value));
        _nodes.Add(node);
        return outs;
    }

    /// <summary>x W^T + b for a weight [out, in] stored as PyTorch stores it (the Transpose folds into a constant at load).</summary>
    public string Linear(string x, Parameter weight, Parameter? bias)
    {
        var y = Node("MatMul", [x, Node("Transpose", [Parameter(weight)], null, ("perm", new long[] { 1, 0 }))]);
        return bias is null ? y : Node("Add", [y, Parameter(bias)]);
    }

    /// <summary>An element-wise activation in standard operators (GELU exactly, through Erf).</summary>
    public string Activation(string x, ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => Node("Relu", [x]),
        ActivationKind.Sigmoid => Node("Sigmoid", [x]),
        ActivationKind.Tanh => Node("Tanh", [x]),
        // 0.5 x (1 + erf(x / sqrt 2))
        ActivationKind.Gelu => Node("Mul", [Node("Mul", [x, Floats("half", [0.5f])]),
            Node("Add", [Node("Erf", [Node("Mul", [x, Floats("inv_sqrt2", [Kernels.ActivationFunctions.InvSqrt2])])]), Floats("one", [1f])])]),
        // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
        ActivationKind.GeluTanh => Node("Mul", [Node("Mul", [x, Floats("half", [0.5f])]), Node("Add", [Node("Tanh", [Node("Mul", [
            Node("Add", [x, Node("Mul", [Node("Mul", [Node("Mul", [x, x]), x]), Floats("gelu_cubic", [Kernels.ActivationFunctions.TanhCubic])])]),
            Floats("sqrt_2_over_pi", [Kernels.ActivationFunctions.SqrtTwoOverPi])])]), Floats("one", [1f])])]),
        _ => throw new NotSupportedException($"ONNX export: the activation {kind} has no mapping yet."),
    };

    /// <summary>A new value name, unique in the graph.</summary>
    public string Fresh(string hint)
    {
        string name = hint;
        for (int i = 1; _names.Contains(name); i++) name = $"{hint}_{i}";
        _names.Add(name);
        return name;
    }

    /// <summary>The ModelProto: this graph, the opset, the producer and the metadata (metadata_props).</summary>
    public byte[] ToBytes(string producerVersion, IReadOnlyDictionary<string, string> metadata, string doc = "")
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes) graph.Message(1, n);
        graph.String(2, _name);
        foreach (var i in _initializers) graph.Message(5, i);
        if (doc.Length > 0) graph.String(10, doc);
        foreach (var i in _inputs) graph.Message(11, i);
        foreach (var o in _outputs) graph.Message(12, o);
        var model = new ProtoWriter().Int64(1, IrVersion).String(2, "Peakformer").String(3, producerVersion);
        if (doc.Length > 0) model.String(6, doc);
        model.Message(7, graph).Message(8, new ProtoWriter().String(1, "").Int64(2, Opset));
        foreach (var (key, value) in metadata) model.Message(14, new ProtoWriter().String(1, key).String(2, value));
        return model.ToArray();
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"OnnxGraph: the name '{name}' is used twice.");
    }

    private static ProtoWriter FloatTensor(string name, ReadOnlySpan<float> values, long[] dims)
    {
        RequireLittleEndian();
        var tensor = new ProtoWriter();
        foreach (long d in dims) tensor.Int64(1, d);
        return tensor.Int64(2, FloatType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values));
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian.");
    }

    private static ProtoWriter ValueInfo(string name, object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
            shape.Message(1, d switch
            {
                string symbol => new ProtoWriter().String(2, symbol),
                int size => new ProtoWriter().Int64(1, size),
                long size => new ProtoWriter().Int64(1, size),
                _ => throw new ArgumentException($"OnnxGraph: a dimension is a size or a symbol, not {d.GetType().Name}."),
            });
        var tensorType = new ProtoWriter().Int64(1, FloatType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }

    // AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7).
    private static ProtoWriter Attribute(string name, object value)
    {
        var a = new ProtoWriter().String(1, name);
        switch (value)
        {
            case int i: return a.Int64(3, i).Int64(20, 2);
            case long l: return a.Int64(3, l).Int64(20, 2);
            case float f: return a.Float(2, f).Int64(20, 1);
            case string s: return a.String(4, s).Int64(20, 3);
            case long[] ls:
                foreach (long l in ls) a.Int64(8, l);
                return a.Int64(20, 7);
            case float[] fs:
                foreach (float f in fs) a.Float(7, f);
                return a.Int64(20, 6);
            default: throw new ArgumentException($"OnnxGraph: attribute {name} of type {value.GetType().Name} has no mapping.");
        }
    }
}
