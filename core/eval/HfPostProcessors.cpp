#include "eval/HfComponents.h"

#include "eval/HfComponentSupport.h"

#include <cstdint>

namespace salience::hf {

namespace {

class AddSpecialTokens final : public PostProcessor {
public:
    AddSpecialTokens(std::vector<int32_t> before, std::vector<int32_t> after)
        : m_before(std::move(before)), m_after(std::move(after)) {}
    std::vector<int32_t> process(std::vector<int32_t> ids, bool addSpecialTokens) const override
    {
        if (!addSpecialTokens)
            return ids;
        std::vector<int32_t> out(m_before);
        out.insert(out.end(), ids.begin(), ids.end());
        out.insert(out.end(), m_after.begin(), m_after.end());
        return out;
    }
    std::vector<int32_t> leadingSpecialIds() const override { return m_before; }
    std::vector<int32_t> trailingSpecialIds() const override { return m_after; }

private:
    std::vector<int32_t> m_before;
    std::vector<int32_t> m_after;
};

class SequencePostProcessor final : public PostProcessor {
public:
    explicit SequencePostProcessor(std::vector<std::unique_ptr<const PostProcessor>> parts) : m_parts(std::move(parts)) {}
    std::vector<int32_t> process(std::vector<int32_t> ids, bool addSpecialTokens) const override
    {
        for (const auto& p : m_parts)
            ids = p->process(std::move(ids), addSpecialTokens);
        return ids;
    }
    std::vector<int32_t> leadingSpecialIds() const override
    {
        for (const auto& p : m_parts)
            if (auto ids = p->leadingSpecialIds(); !ids.empty())
                return ids;
        return {};
    }
    std::vector<int32_t> trailingSpecialIds() const override
    {
        for (const auto& p : m_parts)
            if (auto ids = p->trailingSpecialIds(); !ids.empty())
                return ids;
        return {};
    }

private:
    std::vector<std::unique_ptr<const PostProcessor>> m_parts;
};

class IdentityPostProcessor final : public PostProcessor {
public:
    std::vector<int32_t> process(std::vector<int32_t> ids, bool) const override { return ids; }
};

// TemplateProcessing's "single" template: its special tokens around sequence $A.
std::unique_ptr<const PostProcessor> makeTemplate(const JsonAt& at)
{
    const JsonAt single = at["single"];
    const JsonAt specials = at["special_tokens"];
    auto idsOf = [&](const std::string& name, const JsonAt& where) {
        const JsonAt entry = specials[name];
        if (entry.isNull())
            where.fail("the template names the special token '" + name + "', which special_tokens does not define");
        const JsonAt ids = entry["ids"];
        std::vector<int32_t> out;
        for (size_t i = 0; i < ids.arraySize(); ++i) {
            const int64_t id = ids.at(i).integer();
            if (id < 0 || id > INT32_MAX)
                ids.at(i).fail("token id " + std::to_string(id) + " is out of range");
            out.push_back(int32_t(id));
        }
        return out;
    };
    std::vector<int32_t> before;
    std::vector<int32_t> after;
    bool seenSequence = false;
    for (size_t i = 0; i < single.arraySize(); ++i) {
        const JsonAt item = single.at(i);
        std::string specialName;
        bool isSequence = false;
        if (item.value().is_string()) { // the "$A" / "[CLS]:0" form
            std::string s = item.string();
            if (!s.empty() && s.front() == '$') {
                isSequence = true;
                const std::string id = s.substr(1, s.find(':') == std::string::npos ? std::string::npos : s.find(':') - 1);
                if (id == "B")
                    item.fail("a single-sequence template cannot hold $B");
            } else {
                const size_t colon = s.rfind(':');
                specialName = colon == std::string::npos ? s : s.substr(0, colon);
            }
        } else if (item.has("Sequence")) {
            isSequence = true;
            if (item["Sequence"].string("id") != "A")
                item.fail("a single-sequence template can only hold sequence A");
        } else if (item.has("SpecialToken")) {
            specialName = item["SpecialToken"].string("id");
        } else {
            item.fail("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        }
        if (isSequence) {
            if (seenSequence)
                item.fail("the template holds sequence A twice");
            seenSequence = true;
            continue;
        }
        const std::vector<int32_t> ids = idsOf(specialName, item);
        (seenSequence ? after : before).insert((seenSequence ? after : before).end(), ids.begin(), ids.end());
    }
    if (!seenSequence)
        single.fail("the template has no $A");
    return std::make_unique<AddSpecialTokens>(std::move(before), std::move(after));
}

// BertProcessing / RobertaProcessing: [cls] A [sep], each given as [token, id].
std::unique_ptr<const PostProcessor> makeClsSep(const JsonAt& at)
{
    auto idOfPair = [&](const std::string& key) {
        const JsonAt pair = at[key];
        if (pair.arraySize() != 2)
            pair.fail("expected [token, id]");
        const int64_t id = pair.at(1).integer();
        if (id < 0 || id > INT32_MAX)
            pair.fail("token id " + std::to_string(id) + " is out of range");
        return int32_t(id);
    };
    return std::make_unique<AddSpecialTokens>(std::vector<int32_t>{idOfPair("cls")}, std::vector<int32_t>{idOfPair("sep")});
}

} // namespace

std::unique_ptr<const PostProcessor> makePostProcessor(const JsonAt& at)
{
    if (at.isNull())
        return nullptr;
    const std::string type = at.type();
    if (type == "TemplateProcessing")
        return makeTemplate(at);
    if (type == "ByteLevel")
        return std::make_unique<IdentityPostProcessor>(); // it only trims offsets
    if (type == "BertProcessing" || type == "RobertaProcessing")
        return makeClsSep(at);
    if (type == "Sequence") {
        const JsonAt list = at["processors"];
        std::vector<std::unique_ptr<const PostProcessor>> parts;
        for (size_t i = 0; i < list.arraySize(); ++i)
            if (auto p = makePostProcessor(list.at(i)))
                parts.push_back(std::move(p));
        return std::make_unique<SequencePostProcessor>(std::move(parts));
    }
    unsupported(at, "post-processor", type);
}

std::unique_ptr<const PostProcessor> makeAddSpecialTokens(std::vector<int32_t> before, std::vector<int32_t> after)
{
    return std::make_unique<AddSpecialTokens>(std::move(before), std::move(after));
}

} // namespace salience::hf
