using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// A layer or model: parameters and child modules with PyTorch-style dotted names
/// (a child "layers.0" with a parameter "linear1.weight" is "layers.0.linear1.weight").
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Parameter Parameter)> _parameters = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private readonly List<(string Name, Tensor Buffer)> _buffers = [];

    /// <summary>Training mode turns dropout on. New modules start in training mode, as in PyTorch.</summary>
    public bool Training { get; private set; } = true;

    protected Parameter AddParameter(string name, Shape shape, Action<Span<float>> initialise)
    {
        var value = Tensor.Zeros(shape);
        initialise(value.Data);
        var p = new Parameter(value);
        _parameters.Add((name, p));
        return p;
    }

    /// <summary>
    /// A buffer: state that is saved and strictly loaded with the parameters but not learned (batch norm's running
    /// statistics), as PyTorch's register_buffer. It takes no gradient and stays out of <see cref="ParameterSet"/>.
    /// </summary>
    protected Tensor AddBuffer(string name, Shape shape, float fill)
    {
        var value = Tensor.Zeros(shape);
        value.Data.Fill(fill);
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>
    /// Registers a child. An empty name makes its parameters this module's own (no "name." prefix): a layer whose
    /// parameter sits at the parent's level in the PyTorch model, as torchvision's top-level class_token.
    /// </summary>
    protected T AddModule<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>All parameters, depth-first in registration order, with their dotted names.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return (prefix + name, p);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedParameters(name.Length == 0 ? prefix : prefix + name + "."))
                yield return item;
    }

    /// <summary>All buffers, depth-first in registration order, with their dotted names (as in PyTorch's state_dict).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers) yield return (prefix + name, b);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedBuffers(name.Length == 0 ? prefix : prefix + name + "."))
                yield return item;
    }

    /// <summary>Every tensor of the state dict: parameters, then buffers, with their PyTorch names and shapes.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedState() =>
        NamedParameters().Select(p => (p.Name, p.Parameter.Value)).Concat(NamedBuffers());

    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>Generators this module draws from while it runs (dropout); initialisation-only generators are not listed.</summary>
    protected virtual IEnumerable<Rng> OwnGenerators() => [];

    /// <summary>
    /// Every generator the model draws from while training, each once, depth-first in registration order: their
    /// states are what a resumed run needs besides the weights and the optimiser to continue bit for bit.
    /// </summary>
    public IReadOnlyList<Rng> Generators()
    {
        var found = new List<Rng>();
        void Walk(Module m)
        {
            foreach (var g in m.OwnGenerators())
                if (!found.Any(f => ReferenceEquals(f, g))) found.Add(g);
            foreach (var (_, child) in m._children) Walk(child);
        }
        Walk(this);
        return found;
    }

    public void Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in _children) child.Train(training);
    }

    public void Eval() => Train(false);

    public int ParameterCount => NamedParameters().Sum(p => p.Parameter.Shape.Size);

    /// <summary>U(-bound, bound), the shape of most of PyTorch's default initialisers.</summary>
    protected static Action<Span<float>> Uniform(Rng rng, double bound) => span =>
    {
        for (int i = 0; i < span.Length; i++) span[i] = (float)rng.Uniform(-bound, bound);
    };

    protected static Action<Span<float>> Constant(float value) => span => span.Fill(value);

    protected static Action<Span<float>> Normal(Rng rng, double std) => span =>
    {
        for (int i = 0; i < span.Length; i++) span[i] = (float)(rng.NextNormal() * std);
    };
}
