using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Checkpoints;

/// <summary>One float32 tensor of a safetensors file.</summary>
public sealed record SafeTensorsEntry(string Name, Shape Shape, float[] Values);
