namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>An HTTP handler that fails every request with an exception no download code expects, to prove a transfer ends whatever is thrown.</summary>
internal sealed class ThrowingHttpHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this handler fails on purpose");
}
