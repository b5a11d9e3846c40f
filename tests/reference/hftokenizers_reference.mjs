// An independent reference for Salience's Hugging Face tokenizers: Hugging Face's own JavaScript
// implementation (npm @huggingface/tokenizers), installed with real tokenizer.json files by
// install-hftokenizers.sh beside this file. Prints one JSON value on stdout; any failure prints a
// message on stderr and exits 1 (2 for a usage error), so a caller never mistakes a crash for an answer.
//
//   node hftokenizers_reference.mjs encode TOKENIZER_DIR TEXTFILE [TEXTFILE...]
//       [[ids] per TEXTFILE]: new Tokenizer(tokenizer.json, tokenizer_config.json).encode(text).ids
//       for the text of each file read as UTF-8 (ill-formed bytes become U+FFFD), with the special
//       tokens the tokenizer adds itself (compare with salience-cli tokenize / Tokenizer::encode(text, true))
//   node hftokenizers_reference.mjs check
//       {"version"} when the package loads
//
// The package is looked up in $SALIENCE_HFTOKENIZERS_DIR/node_modules.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function print(json) {
    return new Promise((resolve, reject) =>
        process.stdout.write(JSON.stringify(json) + "\n", (error) => (error ? reject(error) : resolve())));
}

function fail(message, code = 1) {
    process.stderr.write(`hftokenizers_reference: ${message}\n`);
    process.exit(code);
}

const usage = "usage: node hftokenizers_reference.mjs encode TOKENIZER_DIR TEXTFILE... | check";

async function importTokenizers() {
    const prefix = process.env.SALIENCE_HFTOKENIZERS_DIR;
    if (!prefix)
        fail("set SALIENCE_HFTOKENIZERS_DIR to the folder install-hftokenizers.sh installed into");
    const packageDir = path.join(prefix, "node_modules", "@huggingface", "tokenizers");
    const packageJson = path.join(packageDir, "package.json");
    if (!existsSync(packageJson))
        fail(`@huggingface/tokenizers is not installed in ${prefix} (run tests/reference/install-hftokenizers.sh ${prefix})`);
    const manifest = JSON.parse(readFileSync(packageJson, "utf8"));
    const entry = manifest.exports?.["."]?.node?.import ?? manifest.module ?? manifest.main;
    const module = await import(pathToFileURL(path.join(packageDir, entry)).href);
    return { Tokenizer: module.Tokenizer, version: manifest.version };
}

function readJson(file) {
    try {
        return JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
        fail(`cannot read ${file}: ${error.message}`);
    }
}

async function main() {
    const [command, ...args] = process.argv.slice(2);
    if (command === "check") {
        const { Tokenizer, version } = await importTokenizers();
        if (typeof Tokenizer !== "function")
            fail("the package exports no Tokenizer");
        await print({ version });
        return;
    }
    if (command !== "encode" || args.length < 2)
        fail(usage, 2);
    const [tokenizerDir, ...files] = args;
    const { Tokenizer } = await importTokenizers();
    const configFile = path.join(tokenizerDir, "tokenizer_config.json");
    const tokenizer = new Tokenizer(readJson(path.join(tokenizerDir, "tokenizer.json")),
                                    existsSync(configFile) ? readJson(configFile) : {});
    const result = files.map((file) => Array.from(tokenizer.encode(readFileSync(file, "utf8")).ids));
    await print(result);
}

main().catch((error) => fail(error?.stack ?? String(error)));
