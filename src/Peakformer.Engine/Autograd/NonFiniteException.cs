namespace Peakformer.Engine.Autograd;

/// <summary>Raised in checked mode when an operation produces NaN or infinity.</summary>
public sealed class NonFiniteException(string message) : Exception(message);
