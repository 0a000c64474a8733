// The web page `samestory serve` answers on "/": a live story list with search, a story page with
// its outlets' timeline, and a side-by-side view of two members with their shared passages
// highlighted. Built from web/serve/ into the binary (src/CMakeLists.txt: samestory_embed_web);
// it reads only the JSON API, so everything it shows a program can get too.
#pragma once

#include <string_view>

namespace samestory::serve_assets {
std::string_view page();    // web/serve/serve.html
std::string_view style();   // web/serve/serve.css
std::string_view script();  // web/serve/serve.js
}  // namespace samestory::serve_assets
