// libFuzzer harness: arbitrary bytes read as a tokenizer_bin file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "tokenizer_bin");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("tokenizer_bin", path); });
    return 0;
}
