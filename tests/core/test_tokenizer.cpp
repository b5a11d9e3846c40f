// The llama2.c tokenizer: loading tok512.bin and the GGUF vocabulary, run.c's encode/decode,
// exact round trips over real text, and merge order on a vocabulary small enough to check by hand.
#include "base/Error.h"
#include "eval/Tokenizer.h"
#include "io/GgufReader.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unordered_map>

using namespace salience;

namespace {

struct Entry {
    std::string piece;
    float score;
};

// Bytes of a llama2.c tokenizer.bin holding `entries`.
std::string tokenizerBytes(const std::vector<Entry>& entries, int32_t maxTokenLength = 8)
{
    std::string bytes(reinterpret_cast<const char*>(&maxTokenLength), 4);
    for (const Entry& e : entries) {
        const int32_t len = int32_t(e.piece.size());
        bytes.append(reinterpret_cast<const char*>(&e.score), 4);
        bytes.append(reinterpret_cast<const char*>(&len), 4);
        bytes += e.piece;
    }
    return bytes;
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readPrefix(const std::string& path, size_t n)
{
    std::ifstream in(path, std::ios::binary);
    std::string bytes(n, '\0');
    in.read(bytes.data(), std::streamsize(n));
    bytes.resize(size_t(in.gcount()));
    return bytes;
}

// Shortens `s` so it does not end inside a UTF-8 sequence.
std::string cutAtUtf8Boundary(std::string s)
{
    size_t end = s.size();
    while (end > 0 && (static_cast<unsigned char>(s[end - 1]) & 0xC0) == 0x80)
        --end;
    if (end > 0 && static_cast<unsigned char>(s[end - 1]) >= 0xC0)
        --end; // a lead byte whose continuation was cut off
    s.resize(end);
    return s;
}

// The synthetic vocabulary: <unk> <s> </s>, the 256 byte pieces (ids 3..258), then
// " " (259), "a" (260), "b" (261), "ab" (262), " a" (263).
std::vector<Entry> smallVocabulary(float scoreAB, float scoreSpaceA)
{
    std::vector<Entry> v{{"<unk>", 0}, {"<s>", 0}, {"</s>", 0}};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        v.push_back({name, 0});
    }
    v.push_back({" ", -1});
    v.push_back({"a", -2});
    v.push_back({"b", -3});
    v.push_back({"ab", scoreAB});
    v.push_back({" a", scoreSpaceA});
    return v;
}

// run.c's encode written out as it is there: quadratic rescans, strictly greater score wins.
// An independent reference for the heap-based merge loop.
std::vector<int32_t> referenceEncode(const Tokenizer& tok, const std::string& text, bool bos)
{
    std::unordered_map<std::string, int32_t> index;
    for (int32_t id = 0; id < tok.size(); ++id)
        index.emplace(tok.piece(id), id);
    auto lookup = [&](const std::string& s) {
        auto it = index.find(s);
        return it == index.end() ? -1 : it->second;
    };
    std::vector<int32_t> tokens;
    if (bos)
        tokens.push_back(1);
    if (!text.empty())
        tokens.push_back(lookup(" "));
    std::string buffer;
    for (size_t c = 0; c < text.size(); ++c) {
        if ((text[c] & 0xC0) != 0x80)
            buffer.clear();
        buffer += text[c];
        if (c + 1 < text.size() && (text[c + 1] & 0xC0) == 0x80 && buffer.size() < 4)
            continue;
        const int32_t id = lookup(buffer);
        if (id != -1)
            tokens.push_back(id);
        else
            for (unsigned char b : buffer)
                tokens.push_back(int32_t(b) + 3);
        buffer.clear();
    }
    while (true) {
        float best = -1e10f;
        int32_t bestId = -1;
        int bestIdx = -1;
        for (int i = 0; i + 1 < int(tokens.size()); ++i) {
            const int32_t id = lookup(tok.piece(tokens[i]) + tok.piece(tokens[i + 1]));
            if (id != -1 && tok.score(id) > best) {
                best = tok.score(id);
                bestId = id;
                bestIdx = i;
            }
        }
        if (bestIdx == -1)
            break;
        tokens[bestIdx] = bestId;
        tokens.erase(tokens.begin() + bestIdx + 1);
    }
    return tokens;
}

const std::vector<int32_t> kGreedyIds{403, 407, 261, 378, 432, 383, 286, 261, 376, 298,
                                      315, 421, 395, 317, 426, 338, 401, 396, 267, 337};

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void tok512Loads()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        QCOMPARE(tok.size(), 512);
        QCOMPARE(tok.piece(0), std::string("<unk>"));
        QCOMPARE(tok.piece(1), std::string("\n<s>\n")); // llama2.c's export spelling
        QCOMPARE(tok.piece(2), std::string("\n</s>\n"));
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            QCOMPARE(tok.piece(3 + b), std::string(name));
        }
        // Merges start at 259 with scores 0, -1, -2, ... (checked with a Python reader).
        QCOMPARE(tok.piece(259), std::string(" t"));
        QCOMPARE(tok.piece(260), std::string("he"));
        QCOMPARE(tok.score(259), -0.0f);
        QCOMPARE(tok.score(261), -2.0f);
        QCOMPARE(tok.bosId(), 1);
        QCOMPARE(tok.eosId(), 2);
        QCOMPARE(tok.unkId(), 0);
        QCOMPARE(tok.find(" "), 410);
        QCOMPARE(tok.find("no such piece"), -1);
    }

    void idsOutOfRangeThrow()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        VERIFY_INPUT_ERROR(tok.piece(512), std::string("tokenizer"), "512");
        VERIFY_INPUT_ERROR(tok.piece(-1), std::string("tokenizer"), "-1");
        VERIFY_INPUT_ERROR(tok.score(1000), std::string("tokenizer"), "1000");
        VERIFY_INPUT_ERROR(tok.decode({403, 600}), std::string("tokenizer"), "600");
        VERIFY_INPUT_ERROR(tok.decodePiece(1, -5), std::string("tokenizer"), "-5");
    }

    void decodesGreedyStory()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        // The pieces are " Once"," upon"," a"," time",","," there"," was"," a"," little"," g","ir",
        // "l"," named"," Lily","."," She"," lo","ved"," to"," play"; BOS strips the first space.
        const std::string text = tok.decode(kGreedyIds);
        QCOMPARE(text, std::string("Once upon a time, there was a little girl named Lily. She loved to play"));
        QCOMPARE(tok.decodePiece(1, 403), std::string("Once"));
        QCOMPARE(tok.decodePiece(403, 407), std::string(" upon"));
        QCOMPARE(tok.decodePiece(0, 3 + 0x41), std::string("A"));
        QCOMPARE(tok.decodePiece(1, 3 + 0x20), std::string(" ")); // a byte piece is not stripped
        QCOMPARE(tok.decodePiece(5, 1), std::string());           // BOS and EOS give no text
        QCOMPARE(tok.decodePiece(5, 2), std::string());
    }

    void encodesLikeRunC()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        // Expected ids from a separate Python port of run.c's encode.
        const std::vector<int32_t> once{1, 403, 407, 261, 378};
        QCOMPARE(tok.encode("Once upon a time", true), once);
        QCOMPARE(tok.decode(once), std::string("Once upon a time"));
        const std::vector<int32_t> lily{1, 317, 394, 261, 370, 432, 352, 266, 268, 388, 426};
        QCOMPARE(tok.encode("Lily saw a big, red ball.", true), lily);
        // "😀" = F0 9F 98 80 is not a piece: dummy prefix, then the four bytes + 3.
        const std::vector<int32_t> emoji{1, 410, 0xF0 + 3, 0x9F + 3, 0x98 + 3, 0x80 + 3};
        QCOMPARE(tok.encode("😀", true), emoji);
        QCOMPARE(tok.encode("", true), std::vector<int32_t>{1});
        QCOMPARE(tok.encode("", false), std::vector<int32_t>{});
        const std::vector<int32_t> noBos(once.begin() + 1, once.end());
        QCOMPARE(tok.encode("Once upon a time", false), noBos);
    }

    void roundTripsAnyBytes()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        std::vector<std::string> texts{"", "a", " leading space", "  two", "trailing ",
                                       "It\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s mojibake: \xC3\xA2\xE2\x82\xAC\xE2\x84\xA2",
                                       "😀 emoji 😀😀", "line\nbreaks\n\n", std::string("nul\0byte", 8),
                                       "\xFF\xFE invalid \x80\x80\x80\x80\x80 utf8 \xE2\x82",
                                       "\xF0\x9F\x98\x80\x80\x80 five continuation bytes"};
        for (const char* file : {"text/tinystories_valid_head.txt", "text/wikitext-2-raw-test.raw"}) {
            if (!testdata::has(file))
                QSKIP(qPrintable(QStringLiteral("real test data %1 not found").arg(file)));
            const std::string raw = readPrefix(testdata::path(file), 20000);
            QCOMPARE(raw.size(), size_t(20000));
            texts.push_back(raw);                      // possibly cut inside a code point
            texts.push_back(cutAtUtf8Boundary(raw));   // cut at a boundary
            texts.push_back(raw.substr(0, 19999));     // another cut
            // A cut right after the first lead byte of a multi-byte sequence, when there is one.
            for (size_t i = 0; i < raw.size(); ++i)
                if (static_cast<unsigned char>(raw[i]) >= 0xC0) {
                    texts.push_back(raw.substr(0, i + 1));
                    break;
                }
        }
        // WikiText's head has non-ASCII text (85 bytes >= 0x80 in the first 20,000, per Python),
        // TinyStories' first 20,000 bytes are ASCII; add 20,000 bytes around its first "â€™".
        const std::string wiki = readPrefix(testdata::path("text/wikitext-2-raw-test.raw"), 20000);
        QCOMPARE(int(std::count_if(wiki.begin(), wiki.end(), [](char c) { return (c & 0x80) != 0; })), 85);
        const std::string stories = readPrefix(testdata::path("text/tinystories_valid_head.txt"), 1 << 20);
        const size_t mojibake = stories.find("\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2");
        QVERIFY(mojibake != std::string::npos);
        texts.push_back(stories.substr(mojibake >= 10000 ? mojibake - 10000 : 0, 20000));
        texts.push_back(stories.substr(mojibake + 1, 20000)); // starts inside the mojibake
        for (const std::string& s : texts) {
            const std::vector<int32_t> ids = tok.encode(s, true);
            QCOMPARE(ids.front(), 1);
            QVERIFY2(tok.decode(ids) == s, qPrintable(QString::fromStdString(s.substr(0, 60))));
            for (int32_t id : ids)
                QVERIFY(id >= 0 && id < tok.size());
        }
        // A real story compresses: far fewer tokens than bytes.
        const std::string story = cutAtUtf8Boundary(stories.substr(0, 20000));
        QVERIFY(tok.encode(story, true).size() < story.size() / 2);
    }

    void matchesQuadraticRunCLoop()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        REQUIRE_TEST_DATA("text/wikitext-2-raw-test.raw");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        for (const char* file : {"text/tinystories_valid_head.txt", "text/wikitext-2-raw-test.raw"}) {
            const std::string raw = readPrefix(testdata::path(file), 12000);
            for (size_t at = 0; at + 1500 <= raw.size(); at += 1500) {
                const std::string chunk = raw.substr(at, 1500);
                QCOMPARE(tok.encode(chunk, true), referenceEncode(tok, chunk, true));
            }
        }
        // Around TinyStories' first mojibake, and starting inside it.
        const std::string stories = readPrefix(testdata::path("text/tinystories_valid_head.txt"), 1 << 20);
        const size_t mojibake = stories.find("\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2");
        QVERIFY(mojibake != std::string::npos && mojibake >= 700);
        for (size_t at : {mojibake - 700, mojibake + 1, mojibake + 2}) {
            const std::string chunk = stories.substr(at, 1500);
            QCOMPARE(tok.encode(chunk, true), referenceEncode(tok, chunk, true));
        }
    }

    void handCheckedMergeOrder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Dummy prefix " " (259), then "a" (260), "b" (261). Pairs: " a" -> 263, "ab" -> 262.
        // If " a" scores higher it merges first, leaving " a"+"b" = " ab", not a piece: {263, 261}.
        // If "ab" scores higher it merges first, leaving " "+"ab" = " ab", not a piece: {259, 262}.
        struct Case {
            float scoreAB, scoreSpaceA;
            std::vector<int32_t> expected;
        };
        const std::vector<Case> cases{{-5.0f, -4.0f, {263, 261}},
                                      {-4.0f, -5.0f, {259, 262}},
                                      {-4.0f, -4.0f, {263, 261}}}; // tie: leftmost pair wins
        int n = 0;
        for (const Case& c : cases) {
            const std::string path = dir.filePath(QStringLiteral("tok%1.bin").arg(n++)).toStdString();
            writeFile(path, tokenizerBytes(smallVocabulary(c.scoreAB, c.scoreSpaceA)));
            const Tokenizer tok = Tokenizer::fromLlama2cFile(path);
            QCOMPARE(tok.size(), 264);
            QCOMPARE(tok.encode("ab", false), c.expected);
            std::vector<int32_t> withBos{1};
            withBos.insert(withBos.end(), c.expected.begin(), c.expected.end());
            QCOMPARE(tok.encode("ab", true), withBos);
            QCOMPARE(tok.decode(withBos), std::string("ab"));
            // "c" is no piece: byte fallback 0x63 + 3. "é" (C3 A9) likewise, byte by byte.
            QCOMPARE(tok.encode("c", false), (std::vector<int32_t>{259, 0x63 + 3}));
            QCOMPARE(tok.encode("\xC3\xA9", false), (std::vector<int32_t>{259, 0xC3 + 3, 0xA9 + 3}));
            QCOMPARE(tok.decode(tok.encode("c\xC3\xA9 ab", true)), std::string("c\xC3\xA9 ab"));
        }
        // A merge scoring at or below run.c's floor of -1e10 is never applied.
        const std::string path = dir.filePath(QStringLiteral("floor.bin")).toStdString();
        writeFile(path, tokenizerBytes(smallVocabulary(-2e10f, -3e10f)));
        QCOMPARE(Tokenizer::fromLlama2cFile(path).encode("ab", false), (std::vector<int32_t>{259, 260, 261}));
    }

    void ggufVocabularyMatches()
    {
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Tokenizer bin = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        const GgufReader gguf(testdata::path("stories260K/stories260K.gguf"));
        const Tokenizer fromGguf = Tokenizer::fromGguf(gguf);
        QCOMPARE(fromGguf.size(), 512);
        QCOMPARE(fromGguf.bosId(), 1);
        QCOMPARE(fromGguf.eosId(), 2);
        QCOMPARE(fromGguf.unkId(), 0);
        // Same pieces (U+2581 turned into a space) except the <s>/</s> spellings; same scores.
        QCOMPARE(fromGguf.piece(1), std::string("<s>"));
        QCOMPARE(fromGguf.piece(2), std::string("</s>"));
        for (int32_t id = 0; id < 512; ++id) {
            if (id != 1 && id != 2)
                QCOMPARE(fromGguf.piece(id), bin.piece(id));
            QCOMPARE(fromGguf.score(id), bin.score(id));
        }
        const std::vector<std::string> sentences{
            "Once upon a time", "Lily saw a big, red ball.",
            "One day, Tom and his mom went to the park. They had fun!",
            " = Robert Boulter = \n", "It\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s 😀", ""};
        for (const std::string& s : sentences) {
            QCOMPARE(fromGguf.encode(s, true), bin.encode(s, true));
            QCOMPARE(fromGguf.decode(fromGguf.encode(s, true)), s);
        }
        QCOMPARE(fromGguf.decode(kGreedyIds), bin.decode(kGreedyIds));
    }

    void badFilesThrow()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string good = tokenizerBytes(smallVocabulary(-1, -2));

        const std::string truncatedPiece = dir.filePath("truncated_piece.bin").toStdString();
        writeFile(truncatedPiece, good.substr(0, good.size() - 1)); // last piece " a" loses a byte
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(truncatedPiece), truncatedPiece, "truncated");

        const std::string truncatedHeader = dir.filePath("truncated_header.bin").toStdString();
        writeFile(truncatedHeader, good + std::string("\0\0\0\0\x01", 5)); // 5 of 8 bytes
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(truncatedHeader), truncatedHeader, "truncated");

        std::vector<Entry> entries = smallVocabulary(-1, -2);
        std::string negative = tokenizerBytes(entries);
        const int32_t minusOne = -1;
        std::memcpy(negative.data() + 4 + 4, &minusOne, 4); // length of entry 0
        const std::string negativePath = dir.filePath("negative.bin").toStdString();
        writeFile(negativePath, negative);
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(negativePath), negativePath, "negative length");

        std::string huge = tokenizerBytes(entries);
        const int32_t big = 0x7fffffff;
        std::memcpy(huge.data() + 4 + 4, &big, 4);
        const std::string hugePath = dir.filePath("huge.bin").toStdString();
        writeFile(hugePath, huge);
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(hugePath), hugePath, "2147483647");

        const std::string tiny = dir.filePath("tiny.bin").toStdString();
        writeFile(tiny, std::string("\x07\x00", 2));
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(tiny), tiny, "too short");

        const std::string twoEntries = dir.filePath("two.bin").toStdString();
        writeFile(twoEntries, tokenizerBytes({{"<unk>", 0}, {"<s>", 0}}));
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(twoEntries), twoEntries, "at least 3");

        const std::string missing = dir.filePath("missing.bin").toStdString();
        VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(missing), missing, "");

        // The real file cut in the middle of its last piece.
        if (testdata::has("stories260K/tok512.bin")) {
            const std::string real = readPrefix(testdata::path("stories260K/tok512.bin"), 1 << 20);
            const std::string cut = dir.filePath("tok512_cut.bin").toStdString();
            writeFile(cut, real.substr(0, real.size() - 2));
            VERIFY_INPUT_ERROR(Tokenizer::fromLlama2cFile(cut), cut, "entry 511");
        }
    }

    void badVocabularyThrows()
    {
        VERIFY_INPUT_ERROR(Tokenizer({"a", "b", "c"}, {0, 0}), std::string("vocabulary"), "scores");
        VERIFY_INPUT_ERROR(Tokenizer({"a", "b", "c"}, {0, 0, 0}, 7), std::string("vocabulary"), "7");
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
