namespace WebVirt.Relay;

/// <summary>How a relay between ends A and B ended, per direction, and how many bytes each direction carried.</summary>
public sealed record RelayResult(RelayEnding AToB, RelayEnding BToA, long BytesAToB, long BytesBToA)
{
    /// <summary>Both directions ended with the source's end of stream: a clean close.</summary>
    public bool Clean => AToB == RelayEnding.Completed && BToA == RelayEnding.Completed;
}
