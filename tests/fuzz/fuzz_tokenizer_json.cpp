// libFuzzer harness: arbitrary bytes read as a tokenizer_json file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "tokenizer_json");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("tokenizer_json", path); });
    return 0;
}
