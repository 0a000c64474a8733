#include "cluster/story_file.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>

#include "base/json_writer.h"

namespace samestory {

bool story_order(const StoryMember& a, const StoryMember& b) {
  if (a.published.known() != b.published.known()) return a.published.known();
  if (a.published.known() && a.published.unix_seconds != b.published.unix_seconds) {
    return a.published.unix_seconds < b.published.unix_seconds;
  }
  return a.index < b.index;
}

void append_story_jsonl(uint64_t story, std::vector<StoryMember>* members, std::string* out) {
  std::sort(members->begin(), members->end(), story_order);
  const StoryMember* representative = &members->front();
  for (const StoryMember& m : *members) {
    if (m.centrality > representative->centrality) representative = &m;
  }
  std::string first, last;
  for (const StoryMember& m : *members) {
    if (!m.published.known()) continue;
    if (first.empty()) first = m.published.iso();
    last = m.published.iso();
  }
  std::vector<std::string_view> outlets;
  for (const StoryMember& m : *members) {
    if (std::find(outlets.begin(), outlets.end(), m.outlet) == outlets.end()) outlets.push_back(m.outlet);
  }
  JsonWriter w(out);
  w.begin_object();
  w.field("story", story).field("size", static_cast<uint64_t>(members->size()));
  w.field("title", representative->title).field("representative", representative->id);
  if (first.empty()) {
    w.key("first").null().key("last").null();
  } else {
    w.field("first", first).field("last", last);
  }
  w.key("outlets").begin_array();
  for (std::string_view o : outlets) w.value(o);
  w.end_array();
  w.key("members").begin_array();
  for (const StoryMember& m : *members) w.value(m.id);
  w.end_array();
  w.end_object();
  out->push_back('\n');
}

void append_assignment_jsonl(std::string_view id, uint64_t story, std::string* out) {
  JsonWriter w(out);
  w.begin_object().field("id", id).field("story", story).end_object();
  out->push_back('\n');
}

namespace {

std::string scalar_text(simdjson::dom::element e) {
  if (e.is_string()) return std::string(std::string_view(e.get_string().value_unsafe()));
  if (e.is_int64()) return std::to_string(e.get_int64().value_unsafe());
  if (e.is_uint64()) return std::to_string(e.get_uint64().value_unsafe());
  return simdjson::minify(e);
}

}  // namespace

Result<std::vector<Prediction>> read_predictions(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(fmt::format("{}: cannot open", path));
  simdjson::dom::parser parser;
  std::vector<Prediction> out;
  std::string line;
  uint64_t line_number = 0;
  auto error = [&](std::string_view reason) {
    return Status::data_error(fmt::format("{}:{}: {}", path, line_number, reason));
  };
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::element record;
    if (parser.parse(line).get(record) != simdjson::SUCCESS || !record.is_object()) {
      return error("not a JSON object (expected a stories.jsonl or an assignments line)");
    }
    simdjson::dom::element story, members, id;
    if (record["story"].get(story) != simdjson::SUCCESS) return error("no \"story\" field");
    const std::string story_text = scalar_text(story);
    if (record["members"].get(members) == simdjson::SUCCESS) {
      simdjson::dom::array list;
      if (members.get_array().get(list) != simdjson::SUCCESS) return error("\"members\" is not an array");
      for (simdjson::dom::element m : list) {
        // `cluster` lists member ids; `run` lists member objects with an "id".
        simdjson::dom::element member_id;
        if (m.is_object()) {
          if (m["id"].get(member_id) != simdjson::SUCCESS) return error("a member object without \"id\"");
          out.push_back({scalar_text(member_id), story_text});
        } else {
          out.push_back({scalar_text(m), story_text});
        }
      }
    } else if (record["id"].get(id) == simdjson::SUCCESS) {
      out.push_back({scalar_text(id), story_text});
    } else {
      return error("neither \"members\" (a story) nor \"id\" (an assignment)");
    }
  }
  if (in.bad()) return Status::io_error(fmt::format("{}: read error", path));
  return out;
}

std::vector<std::vector<StoryMember>> group_stories(std::vector<StoryMember> members,
                                                    const std::vector<uint32_t>& story) {
  std::vector<std::vector<StoryMember>> stories;
  for (size_t i = 0; i < members.size(); ++i) {
    const uint32_t s = story[i];
    if (s >= stories.size()) stories.resize(s + 1);
    stories[s].push_back(std::move(members[i]));
  }
  std::erase_if(stories, [](const std::vector<StoryMember>& s) { return s.empty(); });
  for (auto& s : stories) std::sort(s.begin(), s.end(), story_order);
  std::sort(stories.begin(), stories.end(),
            [](const auto& a, const auto& b) { return story_order(a.front(), b.front()); });
  return stories;
}

}  // namespace samestory
