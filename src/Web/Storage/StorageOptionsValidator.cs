using Microsoft.Extensions.Options;

namespace WebVirt.Web.Storage;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (options.MaxUploadBytes < 1)
        {
            errors.Add("Storage:MaxUploadBytes must be positive.");
        }

        if (options.ChunkBytes < 64 * 1024 || options.ChunkBytes > options.MaxChunkBytes)
        {
            errors.Add("Storage:ChunkBytes must be at least 64 KiB and at most Storage:MaxChunkBytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
