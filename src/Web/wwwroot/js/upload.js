// Chunked, resumable uploads into a storage pool through the panel's API (the same endpoints scripts use).
// Each chunk is its own PUT of a File.slice, so the browser never holds the file in memory; after a broken
// request the host says how many bytes it holds, and the upload goes on from there.

const maxRetries = 5;

async function received(address) {
    const response = await fetch(address, { credentials: "same-origin" });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
        throw new Error(body.detail || `${response.status} ${response.statusText}`);
    }
    return body.receivedBytes;
}

export function chosenFile(input) {
    const file = input.files[0];
    return file ? { name: file.name, size: file.size } : null;
}

export async function upload(input, address, chunkBytes, sha256, progress) {
    const file = input.files[0];
    if (!file) {
        throw new Error("Choose a file first.");
    }

    let offset = await received(address);
    let retries = 0;
    await progress.invokeMethodAsync("Progress", offset, file.size);
    for (;;) {
        const end = Math.min(offset + chunkBytes, file.size);
        const query = `?offset=${offset}&total=${file.size}` + (sha256 ? `&sha256=${encodeURIComponent(sha256)}` : "");
        let response;
        try {
            response = await fetch(address + query, { method: "PUT", body: file.slice(offset, end), credentials: "same-origin" });
        } catch (error) {
            // The connection broke mid-chunk: ask the host where it stands and go on from there.
            if (++retries > maxRetries) {
                throw error;
            }
            offset = await received(address);
            continue;
        }

        const body = await response.json().catch(() => ({}));
        if (response.ok) {
            retries = 0;
            offset = body.receivedBytes;
            await progress.invokeMethodAsync("Progress", offset, file.size);
            if (body.complete) {
                return body;
            }
        } else if ((response.status === 409 || response.status === 503) && typeof body.receivedBytes === "number" && ++retries <= maxRetries) {
            // A stale offset, or a chunk the host kept only part of: go on where the host stands.
            offset = body.receivedBytes;
        } else {
            throw new Error(body.detail || `${response.status} ${response.statusText}`);
        }
    }
}
