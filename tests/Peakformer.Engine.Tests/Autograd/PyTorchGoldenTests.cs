using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Autograd;

/// <summary>Outputs and gradients against PyTorch 1.13 (tools/golden/make_golden.py), in every kernel variant.</summary>
public class PyTorchGoldenTests
{
    private const double Rtol = 1e-4;

    /// <summary>Runs f on the golden inputs, back-propagates sum(y * r) and compares outputs and every gradient.</summary>
    private static void Check(string name, KernelVariant variant, Func<Tape, Golden, Dictionary<string, Tensor>, Tensor> f,
        Module? module = null, double atol = 1e-5)
    {
        using var scope = KernelScope.Use(variant);
        var g = Golden.Load(name);
        if (module is not null) Checkpoint.LoadEntries(name, g.Parameters(), module);
        var parameters = module is null ? null : new ParameterSet(module);
        var inputs = new Dictionary<string, Tensor>();
        foreach (var key in new[] { "x", "t", "mask", "targets", "weights" })
            if (g.Has("in." + key))
            {
                var t = g.Tensor("in." + key);
                if (g.Has("grad." + key)) t.WithGrad();
                inputs[key] = t;
            }
        var tape = new Tape();
        var y = f(tape, g, inputs);
        Golden.AssertClose(g.Values("out.y"), y.Data, $"{name} [{variant}] output", Rtol, atol);
        var r = g.Tensor("in.r");
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, r)));
        foreach (var (key, t) in inputs)
            if (g.Has("grad." + key)) Golden.AssertClose(g.Values("grad." + key), t.Grad!.Data, $"{name} [{variant}] d/d{key}", Rtol, atol);
        if (parameters is not null)
            foreach (var (pname, p) in parameters.Named)
                Golden.AssertClose(g.Values("grad.param." + pname), p.Grad.Data, $"{name} [{variant}] d/d{pname}", Rtol, atol);
    }

    private static Tensor Mask(Dictionary<string, Tensor> i) => i["mask"];

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Transformer_encoder_layer_post_norm_matches_pytorch(KernelVariant v) => EncoderLayer("encoder_layer_postnorm", normFirst: false, v);

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Transformer_encoder_layer_pre_norm_matches_pytorch(KernelVariant v) => EncoderLayer("encoder_layer_prenorm", normFirst: true, v);

    private static void EncoderLayer(string name, bool normFirst, KernelVariant v)
    {
        var layer = new TransformerEncoderLayer(new TransformerEncoderLayerOptions
        {
            Model = 8, Heads = 2, FeedForward = 12, AttentionDropout = 0, FeedForwardDropout = 0,
            Activation = ActivationKind.Gelu, NormFirst = normFirst,
        }, new Rng(1));
        Check(name, v, (tape, _, i) => layer.Forward(tape, i["x"], Mask(i)), layer);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void First_token_of_an_encoder_layer_matches_pytorch(KernelVariant v)
    {
        foreach (bool normFirst in new[] { false, true })
        {
            var layer = new TransformerEncoderLayer(new TransformerEncoderLayerOptions
            {
                Model = 8, Heads = 2, FeedForward = 12, AttentionDropout = 0, FeedForwardDropout = 0,
                Activation = ActivationKind.Gelu, NormFirst = normFirst,
            }, new Rng(1));
            Check($"encoder_layer_first_token_{(normFirst ? "prenorm" : "postnorm")}", v,
                (tape, _, i) => layer.ForwardFirstToken(tape, i["x"]), layer);
        }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Multihead_attention_with_padding_mask_matches_pytorch(KernelVariant v)
    {
        var mha = new MultiheadAttention(8, 2, 0f, new Rng(1));
        Check("multihead_attention", v, (tape, _, i) => mha.Forward(tape, i["x"], Mask(i)), mha);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Two_layer_lstm_matches_pytorch(KernelVariant v)
    {
        var lstm = new Lstm(5, 6, new Rng(1), layers: 2);
        Check("lstm", v, (tape, _, i) => lstm.Forward(tape, i["x"]), lstm);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Conv1d_with_stride_padding_and_dilation_matches_pytorch(KernelVariant v)
    {
        var conv = new Conv1d(3, 4, 3, new Rng(1), stride: 2, padding: 1, dilation: 2);
        Check("conv1d", v, (tape, _, i) => conv.Forward(tape, i["x"]), conv);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Conv1d_with_same_padding_and_with_stride_matches_pytorch(KernelVariant v)
    {
        // tools/golden/make_cnn_golden.py: the spectrum CNN's "same" convolution, and stride 3 with padding 2.
        var same = new Conv1d(3, 5, 7, new Rng(1), padding: 3);
        Check("conv1d_same", v, (tape, _, i) => same.Forward(tape, i["x"]), same);
        var strided = new Conv1d(2, 3, 4, new Rng(1), stride: 3, padding: 2);
        Check("conv1d_strided", v, (tape, _, i) => strided.Forward(tape, i["x"]), strided);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Global_average_pool_matches_pytorch(KernelVariant v) =>
        Check("global_avg_pool1d", v, (t, _, i) => Ops.GlobalAvgPool1d(t, i["x"]));

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Layer_norm_matches_pytorch(KernelVariant v)
    {
        var ln = new LayerNorm(7);
        Check("layer_norm", v, (tape, _, i) => ln.Forward(tape, i["x"]), ln);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Activations_softmax_and_pooling_match_pytorch(KernelVariant v)
    {
        Check("gelu_erf", v, (t, _, i) => Ops.Gelu(t, i["x"]));
        Check("gelu_tanh", v, (t, _, i) => Ops.Gelu(t, i["x"], GeluApproximation.Tanh));
        Check("sigmoid", v, (t, _, i) => Ops.Sigmoid(t, i["x"]));
        Check("tanh", v, (t, _, i) => Ops.Tanh(t, i["x"]));
        Check("softmax", v, (t, _, i) => Ops.Softmax(t, i["x"]));
        Check("softplus", v, (t, _, i) => Ops.Softplus(t, i["x"]));
        Check("log_softmax", v, (t, _, i) => Ops.LogSoftmax(t, i["x"]));
        Check("max_pool1d", v, (t, _, i) => Ops.MaxPool1d(t, i["x"], 3, 2, 1));
        Check("avg_pool1d", v, (t, _, i) => Ops.AvgPool1d(t, i["x"], 3, 2, 1));
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Every_loss_matches_pytorch(KernelVariant v)
    {
        Check("bce_with_logits", v, (t, g, i) => Ops.BceWithLogits(t, i["x"], i["t"], float.Parse(g.Metadata["pos_weight"], System.Globalization.CultureInfo.InvariantCulture)));
        Check("cross_entropy", v, (t, g, i) => Ops.CrossEntropy(t, i["x"], i["targets"].ToArray().Select(x => (int)x).ToArray(),
            i["weights"].ToArray(), float.Parse(g.Metadata["label_smoothing"], System.Globalization.CultureInfo.InvariantCulture)));
        Check("mse_loss", v, (t, _, i) => Ops.MseLoss(t, i["x"], i["t"]));
        Check("l1_loss", v, (t, _, i) => Ops.L1Loss(t, i["x"], i["t"]));
        Check("huber_loss", v, (t, _, i) => Ops.HuberLoss(t, i["x"], i["t"], 0.7f));
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Five_adamw_steps_match_pytorch(KernelVariant v)
    {
        using var scope = KernelScope.Use(v);
        var g = Golden.Load("adamw_steps");
        var rng = new Rng(1);
        var mlp = new Sequential(new Linear(4, 6, rng), new Activation(ActivationKind.Gelu), new Linear(6, 1, rng));
        Checkpoint.LoadEntries("adamw_steps", g.Parameters(), mlp);
        var parameters = new ParameterSet(mlp);
        var optimizer = new AdamW(parameters, 0.05f, 0.9f, 0.99f, 1e-8f, 0.1f);
        var x = g.Tensor("in.x");
        var y = g.Tensor("in.y");
        var tape = new Tape();
        for (int step = 1; step <= 5; step++)
        {
            tape.Reset();
            optimizer.ZeroGrad();
            var loss = Ops.MseLoss(tape, mlp.Forward(tape, x), y);
            Golden.AssertClose(g.Values($"loss.{step}"), loss.Data, $"loss at step {step}", Rtol, 1e-6);
            tape.Backward(loss);
            optimizer.Step();
            foreach (var (name, p) in parameters.Named)
                Golden.AssertClose(g.Values($"step{step}.{name}"), p.Value.Data, $"{name} after step {step}", Rtol, 1e-6);
        }
    }
}
