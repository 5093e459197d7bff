namespace Peakformer.Engine.Checkpoints;

/// <summary>A checkpoint that cannot be read or does not fit the model; the message names the file and the tensor or byte offset.</summary>
public sealed class SafeTensorsException(string message) : Exception(message);
