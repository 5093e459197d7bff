using Google.Protobuf;

namespace Peakformer.Engine.Onnx;

/// <summary>
/// One protobuf message written field by field with Google.Protobuf's encoder: the few ONNX messages the exporter
/// writes (field numbers from onnx.proto, IR version 8), without code generated from the schema. Repeated scalars
/// are written unpacked, as proto2 declares them; a nested message is written whole, then as a length-delimited field.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();
    private readonly CodedOutputStream _out;

    public ProtoWriter()
    {
        _out = new CodedOutputStream(_stream, leaveOpen: true);
    }

    public ProtoWriter Int64(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _out.WriteTag(field, WireFormat.WireType.Fixed32);
        _out.WriteFloat(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray()
    {
        _out.Flush();
        return _stream.ToArray();
    }
}
