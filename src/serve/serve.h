// The serve stage: samestory as a long-running service over a persistent index.
//
// What it offers:
//   LiveIndex   (serve/live_index.h)  articles in, each with its duplicates, shared-passage
//                                     matches and story, persisted in SQLite (store/
//                                     index_database.h) and rebuilt in memory on restart
//   ApiServer   (serve/api_server.h)  the HTTP JSON API, Prometheus metrics and the web page
//                                     (serve/web_page.h) over one LiveIndex
//
// What it guarantees: an acknowledged write is committed (it survives kill -9); reads never wait
// for writes; the index answers the same whether it was built in one run or across restarts, up
// to the pair sums noted in live_index.h.
#pragma once

#include "serve/api_server.h"
#include "serve/live_index.h"
#include "serve/web_page.h"
