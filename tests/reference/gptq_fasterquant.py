# A PyTorch CPU transcription of the reference GPTQ (Frantar et al., gptq.py, GPTQ.fasterquant):
# damping, Cholesky, cholesky_inverse, upper Cholesky of H^-1, lazy blocks of 128 whose error goes
# to the later columns in one product, per-group parameters from the weights as they stand when a
# group starts. It is the anchor of README's GPTQ speed table and nothing else: no test runs it,
# and Salience needs neither Python nor torch (python3-torch and python3-numpy from Debian here).
#
#   gptq_fasterquant.py gen DIR OUT IN TOKENS SEED   DIR/W.npy (float32 [OUT, IN]) and DIR/G.npy
#                                                    (float64 X^T X over TOKENS synthetic inputs)
#   gptq_fasterquant.py run DIR THREADS              times fasterquant (4-bit asymmetric g128),
#                                                    writes DIR/Qref_tTHREADS.npy
#   gptq_fasterquant.py err DIR Q.npy                tr(E G E^T) and its ratio to tr(W G W^T),
#                                                    E = W - Q: the output error on the inputs
# Run with OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) equal to THREADS.
import os
import sys
import time

import numpy as np
import torch


def generate(d, out, inn, tokens, seed):
    os.makedirs(d, exist_ok=True)
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(out, inn, generator=g) * 0.02
    # Inputs: lognormal channel scales, one channel in 512 twenty times larger, a rank-8 part
    # shared by all channels.
    s = torch.exp(torch.randn(inn, generator=g) * 0.7)
    s[torch.randperm(inn, generator=g)[: max(1, inn // 512)]] *= 20
    shared = torch.randn(8, inn, generator=g)
    G = torch.zeros(inn, inn, dtype=torch.float64)
    for t0 in range(0, tokens, 4096):
        n = min(4096, tokens - t0)
        X = (torch.randn(n, inn, generator=g) + torch.randn(n, 8, generator=g) @ shared * 0.5) * s
        G += (X.T @ X).double()
    np.save(os.path.join(d, "W.npy"), W.numpy())
    np.save(os.path.join(d, "G.npy"), G.numpy())
    with open(os.path.join(d, "tokens"), "w") as f:
        f.write(str(tokens))


def quantize(x, scale, zero, maxq):
    q = torch.clamp(torch.round(x / scale) + zero, 0, maxq)
    return scale * (q - zero)


def find_params(x, maxq):
    # Quantizer.find_params per channel, asymmetric.
    zero = torch.zeros(x.shape[0])
    xmin = torch.minimum(x.min(1)[0], zero)
    xmax = torch.maximum(x.max(1)[0], zero)
    both = (xmin == 0) & (xmax == 0)
    xmin[both] = -1
    xmax[both] = +1
    scale = (xmax - xmin) / maxq
    return scale.unsqueeze(1), torch.round(-xmin / scale).unsqueeze(1)


def fasterquant(W, H, bits=4, blocksize=128, percdamp=0.01, groupsize=128):
    maxq = 2 ** bits - 1
    W = W.clone().float()
    columns = W.shape[1]
    scale, zero = find_params(W, maxq)
    dead = torch.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0
    Q = torch.zeros_like(W)
    damp = percdamp * torch.mean(torch.diag(H))
    diag = torch.arange(columns)
    H[diag, diag] += damp
    H = torch.linalg.cholesky(H)
    H = torch.cholesky_inverse(H)
    Hinv = torch.linalg.cholesky(H, upper=True)
    for i1 in range(0, columns, blocksize):
        i2 = min(i1 + blocksize, columns)
        W1 = W[:, i1:i2].clone()
        Q1 = torch.zeros_like(W1)
        Err1 = torch.zeros_like(W1)
        Hinv1 = Hinv[i1:i2, i1:i2]
        for i in range(i2 - i1):
            w = W1[:, i]
            d = Hinv1[i, i]
            if (i1 + i) % groupsize == 0:
                scale, zero = find_params(W[:, (i1 + i):(i1 + i + groupsize)], maxq)
            q = quantize(w.unsqueeze(1), scale, zero, maxq).flatten()
            Q1[:, i] = q
            err1 = (w - q) / d
            W1[:, i:] -= err1.unsqueeze(1).matmul(Hinv1[i, i:].unsqueeze(0))
            Err1[:, i] = err1
        Q[:, i1:i2] = Q1
        W[:, i2:] -= Err1.matmul(Hinv[i1:i2, i2:])
    return Q


def output_error(W, Q, G):
    E = torch.from_numpy(W.astype(np.float64) - Q.astype(np.float64))
    G = torch.from_numpy(G)
    Wd = torch.from_numpy(W.astype(np.float64))
    error = ((E @ G) * E).sum().item()
    return error, error / ((Wd @ G) * Wd).sum().item()


def main():
    command, d = sys.argv[1], sys.argv[2]
    if command == "gen":
        generate(d, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif command == "run":
        threads = int(sys.argv[3])
        torch.set_num_threads(threads)
        W = torch.from_numpy(np.load(os.path.join(d, "W.npy")))
        G = np.load(os.path.join(d, "G.npy"))
        with open(os.path.join(d, "tokens")) as f:
            tokens = int(f.read())
        H = torch.from_numpy(G * (2.0 / tokens)).float()  # the layer's H = 2 X^T X / n, as GPTQ forms it
        start = time.perf_counter()
        Q = fasterquant(W, H)
        seconds = time.perf_counter() - start
        np.save(os.path.join(d, f"Qref_t{threads}.npy"), Q.numpy())
        print(f"fasterquant threads={threads} seconds={seconds:.2f}")
    elif command == "err":
        error, relative = output_error(np.load(os.path.join(d, "W.npy")), np.load(sys.argv[3]),
                                       np.load(os.path.join(d, "G.npy")))
        print(f"{sys.argv[3]}: tr(E G E^T) = {error:.6e}, relative {relative:.6e}")


if __name__ == "__main__":
    main()
