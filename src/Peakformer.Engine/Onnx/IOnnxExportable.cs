namespace Peakformer.Engine.Onnx;

/// <summary>A model that writes itself into an ONNX graph: its inputs, nodes and outputs.</summary>
public interface IOnnxExportable
{
    /// <summary>Adds the model's inputs, nodes and outputs to <paramref name="graph"/> (built for this model).</summary>
    void ExportOnnx(OnnxGraph graph);
}
