// An independent reference for Salience's tokenizer and forward pass: llama.cpp itself, through
// the prebuilt CPU binary that npm's node-llama-cpp ships (installed by install.sh beside this
// file). Prints one JSON value on stdout; any failure prints a message on stderr and exits 1
// (2 for a usage error), so a caller never mistakes a crash for an answer.
//
//   node llamacpp_reference.mjs tokenize MODEL.gguf TEXTFILE [TEXTFILE...]
//       the ids llama.cpp gives the UTF-8 text of TEXTFILE, with BOS first when the model's
//       add_bos says so (compare with Salience's Tokenizer::encode(text, true)); with several
//       files, an array of such arrays (one start-up of llama.cpp for all)
//   node llamacpp_reference.mjs logits MODEL.gguf TOKENS_JSON
//       [[vocab floats] per position]: the logits after each id of the JSON array in TOKENS_JSON
//       (a file path, or the array itself when it starts with "[")
//   node llamacpp_reference.mjs greedy MODEL.gguf N [MODEL.gguf...]
//       the first N ids of greedy decoding (argmax of the logits) from BOS; with several model
//       files, an array of such arrays in the order given (one start-up of llama.cpp for all)
//   node llamacpp_reference.mjs greedy-logits MODEL.gguf N [MODEL.gguf...]
//       as greedy, with the logits each id was chosen from: an array with, per model file,
//       {"ids": [N ids], "logits": [[vocab floats] per step]}
//   node llamacpp_reference.mjs perplexity CTX INPUT [--base BASE.gguf] MODEL.gguf [MODEL.gguf...]
//       llama-perplexity's score of each model, in one start-up of llama.cpp: INPUT is a text file
//       (tokenized by llama.cpp, BOS first when add_bos says so, as llama-perplexity does) or a
//       JSON token list (a .json file, or the array itself) taken as that tokenized text, BOS
//       included. It is cut into windows of CTX tokens (an incomplete last one dropped), each
//       window's first token replaced by BOS, and the predictions at positions CTX/2 .. CTX−2
//       scored. Prints {"tokens", "windows", "scored", "base"?, "models": [{"path", "nll",
//       "nll_stderr", "perplexity", "perplexity_error", "kl"?, "same_top_share"?,
//       "ln_ppl_ratio"?}]}; with a base (float) model, "kl" is KL(P_base ‖ P_model) over the
//       scored positions {"mean", "stderr", "median", "p99", "max"}, "same_top_share" the share
//       whose top token is the base's and "ln_ppl_ratio" {"mean", "stderr"} ln(PPL/PPL_base), as
//       llama-perplexity --kl-divergence reports them (exact log-probabilities here, where
//       llama-perplexity stores the base's as 16-bit steps)
//   node llamacpp_reference.mjs check
//       {"buildType", "repo", "release"} when llama.cpp's prebuilt CPU binary loads (install.sh)
//
// node-llama-cpp is looked up in $SALIENCE_LLAMACPP_DIR/node_modules when that is set, else by
// node's ordinary resolution from this file's folder.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// process.exit() drops whatever a pipe has not yet taken, so output is flushed before exiting.
function print(json) {
    return new Promise((resolve, reject) =>
        process.stdout.write(JSON.stringify(json) + "\n", (error) => (error ? reject(error) : resolve())));
}

function fail(message, code = 1) {
    process.stderr.write(`llamacpp_reference: ${message}\n`);
    process.exit(code);
}

const usage = "usage: node llamacpp_reference.mjs tokenize MODEL.gguf TEXTFILE... | logits MODEL.gguf TOKENS_JSON | greedy MODEL.gguf N [MODEL.gguf...] | greedy-logits MODEL.gguf N [MODEL.gguf...] | perplexity CTX INPUT [--base BASE.gguf] MODEL.gguf... | check";

async function importNodeLlamaCpp() {
    const prefix = process.env.SALIENCE_LLAMACPP_DIR;
    if (!prefix) {
        try {
            return await import("node-llama-cpp");
        } catch (error) {
            fail(`cannot load node-llama-cpp (${error.code ?? error.message}): install it with tests/reference/install.sh DIR ` +
                 "and set SALIENCE_LLAMACPP_DIR=DIR");
        }
    }
    const packageDir = path.join(prefix, "node_modules", "node-llama-cpp");
    const packageJson = path.join(packageDir, "package.json");
    if (!existsSync(packageJson))
        fail(`node-llama-cpp is not installed in ${prefix} (run tests/reference/install.sh ${prefix})`);
    const manifest = JSON.parse(readFileSync(packageJson, "utf8"));
    const root = manifest.exports?.["."] ?? manifest.exports;
    const entry = [root, root?.import, root?.import?.default, root?.default, manifest.main].find((e) => typeof e === "string");
    return import(pathToFileURL(path.join(packageDir, entry ?? "dist/index.js")).href);
}

// The CPU build only: never probe CUDA/Vulkan, never download or compile llama.cpp.
async function loadLlama() {
    const { getLlama, LlamaLogLevel } = await importNodeLlamaCpp();
    const llama = await getLlama({
        gpu: false,
        build: "never",
        skipDownload: true,
        usePrebuiltBinaries: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.error,
        logger: (level, message) => process.stderr.write(`llama.cpp [${level}]: ${message}\n`),
        maxThreads: 1, // single-threaded: deterministic sums, and the machine is shared
    });
    if (llama.buildType !== "prebuilt")
        fail(`node-llama-cpp loaded a "${llama.buildType}" llama.cpp, not its prebuilt binary`);
    return llama;
}

async function loadModel(modelPath, llama) {
    if (!existsSync(modelPath))
        fail(`model file not found: ${modelPath}`);
    llama ??= await loadLlama();
    const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
    return { llama, model };
}

// A float32 KV cache (llama.cpp's default is F16, which alone moves logits by ~1e-2) and plain
// attention, so the reference computes in the same precision as Salience.
function createContext(model, tokens) {
    return model.createContext({
        contextSize: Math.max(64, tokens + 8),
        batchSize: Math.max(64, tokens),
        sequences: 1,
        flashAttention: false,
        experimentalKvCacheKeyType: "F32",
        experimentalKvCacheValueType: "F32",
    });
}

function readUtf8(file) {
    const bytes = readFileSync(file);
    try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
        // A JS string cannot carry invalid UTF-8 to llama.cpp unchanged: refuse rather than guess.
        fail(`${file} is not valid UTF-8`);
    }
}

function parseTokens(argument, vocabSize) {
    let text = argument;
    if (!argument.trimStart().startsWith("["))
        text = readFileSync(argument, "utf8");
    let ids;
    try {
        ids = JSON.parse(text);
    } catch (error) {
        fail(`token list is not JSON: ${error.message}`);
    }
    if (!Array.isArray(ids) || ids.length === 0)
        fail("token list must be a non-empty JSON array");
    for (const id of ids)
        if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
            fail(`token id ${id} is not in [0, ${vocabSize})`);
    return ids;
}

// Every position's logits as a dense array indexed by token id. The sampler is left at its
// defaults (greedy, no penalties, no bias), which returns llama.cpp's logits untouched.
async function evaluateLogits(model, ids) {
    const vocabSize = vocabularySize(model);
    const context = await createContext(model, ids.length);
    try {
        const sequence = context.getSequence();
        const outputs = await sequence.controlledEvaluate(ids.map((id) => [id, { generateNext: { logits: true } }]));
        return outputs.map((output, position) => {
            const map = output?.next?.logits;
            if (!map || map.size !== vocabSize)
                fail(`llama.cpp returned ${map ? map.size : "no"} logits at position ${position}, expected ${vocabSize}`);
            const row = new Array(vocabSize);
            for (const [token, logit] of map)
                row[token] = logit;
            return row;
        });
    } finally {
        await context.dispose();
    }
}

function vocabularySize(model) {
    const tokens = model.fileInfo?.metadata?.tokenizer?.ggml?.tokens;
    if (!Array.isArray(tokens) || tokens.length === 0)
        fail("the model has no tokenizer.ggml.tokens array");
    return tokens.length;
}

function argmax(row) {
    let best = 0;
    for (let i = 1; i < row.length; ++i)
        if (row[i] > row[best])
            best = i; // first of equal maxima, as Eigen's maxCoeff
    return best;
}

// Greedy decoding from BOS, one token per evaluation (as Salience does through its KV cache).
async function greedyIds(model, steps, logits = null) {
    const bos = model.tokens.bos;
    if (bos == null)
        fail("the model has no BOS token");
    const vocabSize = vocabularySize(model);
    const context = await createContext(model, steps);
    try {
        const sequence = context.getSequence();
        const ids = [];
        let next = bos;
        for (let step = 0; step < steps; ++step) {
            const [output] = await sequence.controlledEvaluate([[next, { generateNext: { logits: true } }]]);
            const map = output?.next?.logits;
            if (!map || map.size !== vocabSize)
                fail(`llama.cpp returned ${map ? map.size : "no"} logits at step ${step}, expected ${vocabSize}`);
            const row = [];
            for (const [token, logit] of map)
                row[token] = logit;
            next = argmax(row);
            ids.push(next);
            logits?.push(row);
        }
        return ids;
    } finally {
        await context.dispose();
    }
}

// log softmax of one row of logits, in double.
function logSoftmax(row) {
    let max = -Infinity;
    for (const x of row)
        max = Math.max(max, x);
    let sum = 0;
    for (const x of row)
        sum += Math.exp(x - max);
    const shift = max + Math.log(sum);
    return Float64Array.from(row, (x) => x - shift);
}

function meanAndStdError(values) {
    const n = values.length;
    let sum = 0, sum2 = 0;
    for (const v of values) {
        sum += v;
        sum2 += v * v;
    }
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    return { mean, stderr: n > 1 && variance > 0 ? Math.sqrt(variance / (n - 1)) : 0 };
}

// llama-perplexity's statistics of the sorted KL values: the median as the middle (or the mean of
// the two middle values), other percentiles interpolated between neighbours.
function klStatistics(values) {
    const sorted = Float64Array.from(values).sort();
    const n = sorted.length;
    const percentile = (fraction) => {
        const p = fraction * (n - 1);
        const i = Math.floor(p);
        return (1 - (p - i)) * sorted[i] + (p - i) * sorted[Math.min(i + 1, n - 1)];
    };
    const { mean, stderr } = meanAndStdError(values);
    const median = n % 2 === 0 ? 0.5 * (sorted[n / 2] + sorted[n / 2 - 1]) : sorted[(n - 1) / 2];
    return { mean, stderr, median, p99: percentile(0.99), max: sorted[n - 1] };
}

// The windows llama-perplexity evaluates: whole chunks of ctx tokens, the first of each set to BOS.
function perplexityWindows(tokens, ctx, bos) {
    const windows = [];
    for (let start = 0; start + ctx <= tokens.length; start += ctx) {
        const window = tokens.slice(start, start + ctx);
        if (bos != null)
            window[0] = bos;
        windows.push(window);
    }
    return windows;
}

// The log-probabilities llama.cpp gives at each scored position (CTX/2 .. CTX−2 of every window),
// and the negative log-likelihood of the token that follows.
async function scoreWindows(model, windows, ctx) {
    const vocabSize = vocabularySize(model);
    const first = Math.floor(ctx / 2);
    const context = await createContext(model, ctx);
    const logProbs = [], nll = [];
    try {
        const sequence = context.getSequence();
        for (const window of windows) {
            await sequence.clearHistory();
            const input = window.map((id, position) =>
                position >= first && position < ctx - 1 ? [id, { generateNext: { logits: true } }] : id);
            const outputs = await sequence.controlledEvaluate(input);
            for (let position = first; position < ctx - 1; ++position) {
                const map = outputs[position]?.next?.logits;
                if (!map || map.size !== vocabSize)
                    fail(`llama.cpp returned ${map ? map.size : "no"} logits at position ${position}, expected ${vocabSize}`);
                const row = new Array(vocabSize);
                for (const [token, logit] of map)
                    row[token] = logit;
                const lp = logSoftmax(row);
                logProbs.push(lp);
                nll.push(-lp[window[position + 1]]);
            }
        }
    } finally {
        await context.dispose();
    }
    return { logProbs, nll };
}

function perplexityJson(nll) {
    const { mean, stderr } = meanAndStdError(nll);
    const perplexity = Math.exp(mean);
    return { nll: mean, nll_stderr: stderr, perplexity, perplexity_error: perplexity * stderr };
}

async function perplexityCommand(args) {
    const [ctxArgument, input, ...rest] = args;
    const ctx = Number(ctxArgument);
    if (!Number.isInteger(ctx) || ctx < 4 || ctx > 65536)
        fail(`CTX must be an integer in [4, 65536], got "${ctxArgument}"`, 2);
    if (input === undefined)
        fail(usage, 2);
    let basePath = null;
    const modelPaths = [];
    for (let i = 0; i < rest.length; ++i) {
        if (rest[i] === "--base") {
            basePath = rest[++i];
            if (basePath === undefined)
                fail("--base needs a model file", 2);
        } else {
            modelPaths.push(rest[i]);
        }
    }
    if (modelPaths.length === 0)
        fail(usage, 2);
    for (const file of [basePath, ...modelPaths].filter((f) => f != null))
        if (!existsSync(file))
            fail(`model file not found: ${file}`);
    const isTokenList = input.trimStart().startsWith("[") || input.endsWith(".json");
    if (!isTokenList && !existsSync(input))
        fail(`text file not found: ${input}`);

    const llama = await loadLlama();
    let tokens = null, windows = null, vocabSize = null;
    // The first model loaded tokenizes the text; every model must share its vocabulary.
    const evaluate = async (file) => {
        let model;
        try {
            ({ model } = await loadModel(file, llama));
            const size = vocabularySize(model);
            if (vocabSize != null && size !== vocabSize)
                fail(`${file} has ${size} tokens in its vocabulary, the first model ${vocabSize}`);
            vocabSize = size;
            const bos = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
            if (tokens == null) {
                if (isTokenList) {
                    tokens = parseTokens(input, size);
                } else {
                    const ids = Array.from(model.tokenize(readUtf8(input), false));
                    tokens = bos != null ? [bos, ...ids] : ids;
                }
                windows = perplexityWindows(tokens, ctx, bos);
                if (windows.length === 0)
                    fail(`the input has ${tokens.length} tokens, fewer than one window of ${ctx}`);
            }
            return await scoreWindows(model, windows, ctx);
        } catch (error) {
            fail(`${file}: ${error?.stack ?? String(error)}`);
        } finally {
            await model?.dispose();
        }
    };

    const base = basePath != null ? await evaluate(basePath) : null;
    const models = [];
    for (const file of modelPaths) {
        const scored = await evaluate(file);
        const entry = { path: file, ...perplexityJson(scored.nll) };
        if (base) {
            const kl = [];
            let sameTop = 0;
            for (let i = 0; i < scored.logProbs.length; ++i) {
                const p = base.logProbs[i], q = scored.logProbs[i];
                let sum = 0, topP = 0, topQ = 0;
                for (let v = 0; v < p.length; ++v) {
                    sum += Math.exp(p[v]) * (p[v] - q[v]);
                    if (p[v] > p[topP])
                        topP = v; // the first of equal maxima, as llama-perplexity
                    if (q[v] > q[topQ])
                        topQ = v;
                }
                kl.push(sum);
                sameTop += topP === topQ ? 1 : 0;
            }
            entry.kl = klStatistics(kl);
            entry.same_top_share = sameTop / kl.length;
            // llama-perplexity's Mean ln(PPL(Q)/PPL(base)), whose uncertainty is that of the paired
            // per-token differences: far smaller than either perplexity's own.
            const { mean, stderr } = meanAndStdError(scored.nll.map((x, i) => x - base.nll[i]));
            entry.ln_ppl_ratio = { mean, stderr };
        }
        models.push(entry);
    }
    await llama.dispose();
    const result = { tokens: tokens.length, windows: windows.length, scored: windows.length * (ctx - 1 - Math.floor(ctx / 2)) };
    if (base)
        result.base = { path: basePath, ...perplexityJson(base.nll) };
    result.models = models;
    await print(result);
}

async function main() {
    const [command, modelPath, argument, ...moreFiles] = process.argv.slice(2);
    if (command === "check" && modelPath === undefined) {
        const llama = await loadLlama();
        const { repo, release } = llama.llamaCppRelease;
        await llama.dispose();
        await print({ buildType: llama.buildType, repo, release });
        return;
    }
    if (command === "perplexity") {
        await perplexityCommand(process.argv.slice(3));
        return;
    }
    if (!["tokenize", "logits", "greedy", "greedy-logits"].includes(command))
        fail(`unknown command "${command}"\n${usage}`, 2);
    if (!modelPath || argument === undefined || (command === "logits" && moreFiles.length > 0))
        fail(usage, 2);
    if (command === "greedy" || command === "greedy-logits") {
        const withLogits = command === "greedy-logits";
        const steps = Number(argument);
        if (!Number.isInteger(steps) || steps < 1 || steps > 4096)
            fail(`N must be an integer in [1, 4096], got "${argument}"`, 2);
        // Every file is checked before llama.cpp starts, so a typo fails fast.
        for (const file of [modelPath, ...moreFiles])
            if (!existsSync(file))
                fail(`model file not found: ${file}`);
        const llama = await loadLlama();
        const lists = [];
        for (const file of [modelPath, ...moreFiles]) {
            let model;
            try {
                ({ model } = await loadModel(file, llama));
                const logits = withLogits ? [] : null;
                const ids = await greedyIds(model, steps, logits);
                lists.push(withLogits ? { ids, logits } : ids);
            } catch (error) {
                fail(`${file}: ${error?.stack ?? String(error)}`);
            }
            await model.dispose();
        }
        await llama.dispose();
        await print(moreFiles.length === 0 && !withLogits ? lists[0] : lists);
        return;
    }

    const { llama, model } = await loadModel(modelPath);
    let result;
    if (command === "tokenize") {
        // model.tokenize() is llama_tokenize with add_special = false and parse_special = false:
        // the space prefix is llama.cpp's own choice (add_space_prefix); BOS is put first here
        // when the model's add_bos asks for it, as llama_tokenize with add_special would.
        const bos = model.tokens.bos;
        const addBos = bos != null && model.tokens.shouldPrependBosToken;
        const tokenizeFile = (file) => {
            const ids = Array.from(model.tokenize(readUtf8(file), false));
            return addBos ? [bos, ...ids] : ids;
        };
        result = moreFiles.length === 0 ? tokenizeFile(argument) : [argument, ...moreFiles].map(tokenizeFile);
    } else if (command === "logits") {
        result = await evaluateLogits(model, parseTokens(argument, vocabularySize(model)));
    }
    await model.dispose();
    await llama.dispose();
    await print(result);
}

main().then(
    () => process.exit(0),
    (error) => fail(error?.stack ?? String(error)));
