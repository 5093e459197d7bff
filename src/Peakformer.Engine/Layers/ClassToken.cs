using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// A learned CLS token [1, 1, D] prepended to every sequence: [B, L, D] → [B, L + 1, D]. Named "cls_token" (timm)
/// unless <c>name</c> says otherwise (torchvision: "class_token").
/// </summary>
public sealed class ClassToken : Module, ILayer
{
    public ClassToken(int model, Rng rng, string name = "cls_token")
    {
        Token = AddParameter(name, new Shape(1, 1, model), Normal(rng, 0.02));
    }

    public Parameter Token { get; }

    public Tensor Forward(Tape tape, Tensor x) => Ops.PrependToken(tape, x, Token.Value);

    /// <summary>The output at the token's position: [B, L + 1, D] → [B, D].</summary>
    public static Tensor Select(Tape tape, Tensor encoded) =>
        Ops.Reshape(tape, Ops.Slice(tape, encoded, 1, 0, 1), new Shape(encoded.Shape[0], encoded.Shape[2]));

    /// <summary>The same in an ONNX graph: the token expanded to the batch and put first, [B, L, D] → [B, L + 1, D].</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x)
    {
        var batch = graph.Node("Shape", [x], null, ("start", 0L), ("end", 1L));
        var shape = graph.Node("Concat", [batch, graph.Int64s("token_shape", [1, Token.Shape[2]])], null, ("axis", 0L));
        var tokens = graph.Node("Expand", [graph.Parameter(Token), shape]);
        return graph.Node("Concat", [tokens, x], null, ("axis", 1L));
    }

    /// <summary>The output at the token's position in an ONNX graph: [B, L + 1, D] → [B, D].</summary>
    public static string SelectOnnx(Onnx.OnnxGraph graph, string encoded) =>
        graph.Node("Gather", [encoded, graph.Int64s("first", [0], [])], null, ("axis", 1L));
}
