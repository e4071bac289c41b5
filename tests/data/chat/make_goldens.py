#!/usr/bin/python3
"""Writes goldens.json for tst_chat_template: chat templates rendered by Jinja configured exactly as
transformers configures it for `apply_chat_template` (ImmutableSandboxedEnvironment with trim_blocks,
lstrip_blocks and loopcontrols; its own `tojson`, `raise_exception`, `strftime_now`, and the `{% generation %}`
tag), with the variables transformers passes (messages, tools=None, documents=None, add_generation_prompt and
the tokenizer's special tokens).

Run with Debian's python3-jinja2 (apt-get install python3-jinja2), from anywhere:
    /usr/bin/python3 tests/data/chat/make_goldens.py [FIXTURES_DIR]
FIXTURES_DIR defaults to ../shared/fixtures beside the repository root.

Sections of goldens.json:
  templates: name -> {source: "fixture:<dir>" | "file:<name>.jinja", special_tokens: {...}}
             fixture templates are read by the C++ side with ChatTemplate::fromTokenizerConfig(<dir>).
  cases:     template x message list x add_generation_prompt (+ extra context); messages/extra as JSON text
             so the C++ side can keep key order; "expected" or "error" {type, message}.
             "expected_sorted" is present when rendering with alphabetically sorted dict keys (what a
             QJsonObject gives) changes the text.
  snippets:  small templates exercising the Jinja surface (filters, tests, loops, scoping, whitespace control,
             Python printing), rendered the same way with a context.
"""
import datetime
import json
import os
import sys

import jinja2
import jinja2.ext
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "fixtures"))
NOW = datetime.datetime(2025, 3, 14, 9, 26, 53)  # the C++ test sets the same clock


class GenerationTag(jinja2.ext.Extension):
    """transformers' AssistantTracker when not tracking: {% generation %}...{% endgeneration %} renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def make_env():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


ENV = make_env()
SPECIAL_KEYS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token",
                "additional_special_tokens"]


def token_text(v):
    if isinstance(v, dict):
        return v.get("content")
    if isinstance(v, list):
        return [token_text(x) for x in v]
    return v


def special_tokens_map(special):
    # transformers' special_tokens_map: only tokens that are set, AddedToken objects as their text
    return {k: token_text(v) for k, v in special.items() if v is not None}


def render(source, special, messages, add_generation_prompt, extra):
    extra = dict(extra)
    tools = extra.pop("tools", None)
    documents = extra.pop("documents", None)
    kwargs = {**special_tokens_map(special), **extra}
    try:
        template = ENV.from_string(source)
        text = template.render(messages=messages, tools=tools, documents=documents,
                               add_generation_prompt=add_generation_prompt, **kwargs)
        return {"expected": text}
    except Exception as e:  # recorded: the C++ side must fail too
        return {"error": {"type": type(e).__name__, "message": str(e)}}


def sort_keys(x):
    if isinstance(x, dict):
        return {k: sort_keys(x[k]) for k in sorted(x)}
    if isinstance(x, list):
        return [sort_keys(v) for v in x]
    return x


def load_fixture_template(folder):
    with open(os.path.join(FIXTURES, folder, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    special = {k: config[k] for k in SPECIAL_KEYS if k in config}
    return config.get("chat_template"), special


def added_token(text):
    return {"__type": "AddedToken", "content": text, "lstrip": False, "normalized": True, "rstrip": False,
            "single_word": False}


TEMPLATES = {
    "tiny-llama": {"source": "fixture:tiny-llama"},
    "tiny-qwen2": {"source": "fixture:tiny-qwen2"},
    "llama3": {"source": "fixture:tokenizers/llama3"},
    "qwen3": {"source": "fixture:tokenizers/qwen3"},
    "llama2-chat": {"source": "file:llama2-chat.jinja", "special_from": "tokenizers/llama2"},
    "llama3.1": {"source": "file:llama3.1.jinja",
                 "special_tokens": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}},
    "llama3.2": {"source": "file:llama3.2.jinja",
                 "special_tokens": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}},
    "chatml": {"source": "file:chatml.jinja", "special_tokens": {"eos_token": "<|im_end|>", "bos_token": None}},
    "qwen2.5": {"source": "file:qwen2.5.jinja",
                "special_tokens": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}},
    "deepseek-r1-distill-qwen": {
        "source": "file:deepseek-r1-distill-qwen.jinja",
        "special_tokens": {"bos_token": added_token("<｜begin▁of▁sentence｜>"),
                           "eos_token": added_token("<｜end▁of▁sentence｜>"), "unk_token": None}},
    "gemma": {"source": "file:gemma.jinja", "special_tokens": {"bos_token": "<bos>", "eos_token": "<eos>"}},
}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name, e.g. Paris"},
                           "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city"],
        },
    },
}

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
MESSAGE_SETS = {
    "system_user": ([SYSTEM, {"role": "user", "content": "Hello! What is knowledge distillation?"}], {}),
    "single_user": ([{"role": "user", "content": "Hi"}], {}),
    "multi_turn": ([SYSTEM,
                    {"role": "user", "content": "What is 2+2?"},
                    {"role": "assistant", "content": "2+2 equals 4."},
                    {"role": "user", "content": "And 3+3?"}], {}),
    "no_system": ([{"role": "user", "content": "Name a prime."},
                   {"role": "assistant", "content": "7"},
                   {"role": "user", "content": "Another?"}], {}),
    "assistant_last": ([{"role": "user", "content": "Say hi"},
                        {"role": "assistant", "content": "Hi there!"}], {}),
    "reasoning_inline": ([{"role": "user", "content": "What is 6*7?"},
                          {"role": "assistant",
                           "content": "<think>\n6 times 7 is 42.\n</think>\n\nThe answer is 42."},
                          {"role": "user", "content": "Thanks. And 6*8?"}], {}),
    "reasoning_last": ([{"role": "user", "content": "What is 6*7?"},
                        {"role": "assistant", "content": "<think>\nMultiply.\n</think>\n\n42"}], {}),
    "reasoning_field": ([{"role": "user", "content": "Capital of France?"},
                         {"role": "assistant", "content": "Paris.", "reasoning_content": "The capital is Paris."}],
                        {}),
    "unicode": ([{"role": "system", "content": "Réponds en français — s'il te plaît."},
                 {"role": "user", "content": "你好，世界 🌍 naïve café"},
                 {"role": "assistant", "content": "こんにちは ✓ Ünïcödé"},
                 {"role": "user", "content": "e\u0301 (combining) and \u00a0nbsp\u200b"}], {}),
    "padded": ([{"role": "system", "content": "  spaced system prompt  \n"},
                {"role": "user", "content": "\n  hello there  \n"},
                {"role": "assistant", "content": "  reply with spaces  "},
                {"role": "user", "content": "\t tabbed \t"}], {}),
    "tool_call": ([SYSTEM,
                   {"role": "user", "content": "Weather in Paris?"},
                   {"role": "assistant", "content": "",
                    "tool_calls": [{"type": "function",
                                    "function": {"name": "get_weather",
                                                 "arguments": {"city": "Paris", "unit": "celsius"}}}]},
                   {"role": "tool", "content": "{\"temperature\": 21, \"sky\": \"clear\"}"},
                   {"role": "assistant", "content": "It is 21°C and clear in Paris."}],
                  {"tools": [WEATHER_TOOL]}),
    "tool_call_string_args": ([{"role": "user", "content": "Weather in Oslo?"},
                               {"role": "assistant", "content": None,
                                "tool_calls": [{"type": "function",
                                                "function": {"name": "get_weather",
                                                             "arguments": "{\"city\": \"Oslo\"}"}}]},
                               {"role": "tool", "content": "{\"temperature\": -3}"},
                               {"role": "assistant", "content": "It is -3°C in Oslo."}], {}),
    "alternation_error": ([{"role": "user", "content": "one"}, {"role": "user", "content": "two"}], {}),
    "empty": ([], {}),
    "thinking_off": ([{"role": "user", "content": "Quick answer: 1+1?"}], {"enable_thinking": False}),
    "date_string": ([{"role": "user", "content": "What day is it?"}], {"date_string": "01 Jan 2025"}),
}

SNIPPETS = [
    ("print_values", "{{ none }}|{{ true }}|{{ false }}|{{ 1 }}|{{ -3 }}|{{ 1.0 }}|{{ 0.1 + 0.2 }}|{{ 1e20 }}|"
     "{{ 1.5e-7 }}|{{ 10/4 }}|{{ 7//2 }}|{{ -7//2 }}|{{ -7 % 3 }}|{{ 7 % -3 }}|{{ 2**10 }}|{{ 2**-1 }}|"
     "{{ 7.5 // 2 }}|{{ 5 % 2.5 }}|{{ 1e16 }}|{{ 1e15 }}|{{ 0.0001 }}|{{ 0.00001 }}|{{ 123456789.125 }}|"
     "{{ -0.0 }}|{{ 3 * 1.1 }}", {}),
    ("print_containers", "{{ [1, 'a', none, true, 1.5] }}|{{ {'a': 1, 'b': [1, 2], 'c': {'d': none}} }}|"
     "{{ (1,) }}|{{ () }}|{{ (1, 'x') }}|{{ [\"it's\", 'say \"hi\"', 'tab\\there', 'nl\\n', 'back\\\\slash', "
     "'both \\' and \"'] }}|{{ {} }}|{{ [] }}", {}),
    ("print_unicode_repr", "{{ ['é', '中文', '\\u00a0', '\\u200b', '😀', '\\x7f', '\\x01', '\\u2028'] }}", {}),
    ("print_context", "{{ msgs }}|{{ msgs[0] }}|{{ num }}|{{ flt }}|{{ flag }}|{{ nothing_here }}",
     {"msgs": [{"role": "user", "content": "hi"}], "num": 3, "flt": 2.5, "flag": True}),
    ("undefined", "[{{ nothing }}][{{ nothing is defined }}][{{ nothing | default('dflt') }}]"
     "[{{ none | default('x') }}][{{ '' | default('empty', true) }}][{{ nothing | length }}]"
     "[{{ nothing | trim }}][{{ nothing | upper }}][{% for x in nothing %}{{ x }}{% endfor %}]"
     "[{{ 'x' in nothing }}][{{ nothing == nothing }}][{{ nothing is none }}][{{ d.missing }}]"
     "[{{ d.missing is defined }}][{{ [1, 2][5] }}][{{ ''[3] }}][{{ nothing | list }}]", {"d": {"k": 1}}),
    ("string_ops", "{{ 'a' ~ 1 ~ none ~ true }}|{{ 'ab' * 3 }}|{{ 3 * 'x' }}|{{ [1] * 2 }}|{{ [1] + [2] }}|"
     "{{ 'abc'[1] }}|{{ 'abc'[-1] }}|{{ 'abcdef'[1:4] }}|{{ 'abcdef'[::-1] }}|{{ 'abcdef'[::2] }}|"
     "{{ [1, 2, 3, 4][1:] }}|{{ [1, 2, 3, 4][:-1] }}|{{ [1, 2, 3, 4][-2:] }}|{{ [1, 2, 3, 4][::-2] }}|"
     "{{ 'héllo😀x'[5] }}|{{ 'héllo😀x' | length }}|{{ 'héllo😀x'[4:6] }}|{{ 'ab' ~ (1 + 2) }}|"
     "{{ (1, 2) + (3,) }}|{{ 'x' * 0 }}|{{ [1, 2, 3][10:] }}|{{ 'abc'[-10:2] }}", {}),
    ("string_methods", "{{ '  x y  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '\\n\\nA\\n'.lstrip('\\n') }}|"
     "{{ 'A\\n\\n'.rstrip() }}|{{ '  a b  c '.split() }}|{{ 'a,b,,c'.split(',') }}|{{ 'a,b,c'.split(',', 1) }}|"
     "{{ 'a,b,c'.rsplit(',', 1) }}|{{ ' a  b '.rsplit(None, 1) }}|{{ 'Hello'.startswith('He') }}|"
     "{{ 'Hello'.startswith(('x', 'H')) }}|{{ 'Hello'.endswith('lo') }}|{{ 'hello world'.title() }}|"
     "{{ \"they're bill's 2nd\".title() }}|{{ 'hELLO'.capitalize() }}|{{ 'aaa'.replace('a', 'b', 2) }}|"
     "{{ 'abc'.replace('', '-') }}|{{ 'hello'.find('l') }}|{{ 'hello'.rfind('l') }}|{{ 'hello'.find('z') }}|"
     "{{ 'banana'.count('an') }}|{{ '-'.join(['a', 'b']) }}|{{ '42'.zfill(5) }}|{{ '-42'.zfill(5) }}|"
     "{{ 'ab'.center(7, '*') }}|{{ 'ab'.ljust(4, '.') }}|{{ 'ab'.rjust(4) }}|{{ 'a\\nb\\r\\nc'.splitlines() }}|"
     "{{ 'k=v=w'.partition('=') }}|{{ 'k=v=w'.rpartition('=') }}|{{ '{} and {name}'.format(1, name='x') }}|"
     "{{ 'ABC'.lower() }}|{{ 'abc'.upper() }}|{{ '12'.isdigit() }}|{{ 'ab'.isalpha() }}|{{ ' '.isspace() }}|"
     "{{ 'abc'.islower() }}|{{ 'ABC'.isupper() }}|{{ 'prefix-x'.removeprefix('prefix-') }}|"
     "{{ 'x.txt'.removesuffix('.txt') }}|{{ 'Straße'.upper() }}|{{ '<think>a</think>b'.split('</think>')[-1] }}|"
     "{{ 'ab'.index('b') }}|{{ 'a-b'.split('-')[0].strip() }}", {}),
    ("filters_text", "{{ '  pad  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'hello WORLD-foo (bar) [baz]' | title }}|"
     "{{ 'hello World' | capitalize }}|{{ 'a-b-c' | replace('-', '+') }}|{{ 'a-b-c' | replace('-', '+', 1) }}|"
     "{{ 'one two  three, four_5' | wordcount }}|{{ 'x' | center(6) }}|{{ '<a href=\"x\">&\\'' | escape }}|"
     "{{ 42 | string }}|{{ '%s is %d years, %.2f%% %5s|%-5s|%05d %x %r' | format('Bob', 42, 3.14159, 'r', 'l', 7, 255, 'q') }}|"
     "{{ '%(a)s-%(b)s' | format(a=1, b=2) }}|{{ 'ÉCOLE' | lower }}|{{ 'straße' | upper }}|{{ none | string }}|"
     "{{ [1, 2] | string }}|{{ 'x' | safe }}", {}),
    ("filter_indent", "[{{ 'a\\nb\\n\\nc' | indent(2) }}][{{ 'a\\nb' | indent(2, true) }}]"
     "[{{ 'a\\n\\nb' | indent(2, blank=true) }}][{{ 'a\\nb' | indent('>> ') }}][{{ '' | indent }}]"
     "[{{ 'a\\n' | indent(first=true) }}]", {}),
    ("filters_numbers", "{{ -3 | abs }}|{{ -2.5 | abs }}|{{ '42' | int }}|{{ '4.7' | int }}|{{ 'x' | int }}|"
     "{{ 'x' | int(7) }}|{{ '0x1A' | int(0, 16) }}|{{ ' 12 ' | int }}|{{ 3.9 | int }}|{{ -3.9 | int }}|"
     "{{ '2.5' | float }}|{{ 'abc' | float }}|{{ 3 | float }}|{{ true | int }}|{{ 2.5 | round }}|{{ 3.5 | round }}|"
     "{{ 2.675 | round(2) }}|{{ 2.1 | round(0, 'ceil') }}|{{ 2.9 | round(0, 'floor') }}|{{ 7 | round }}|"
     "{{ 1.23456 | round(3) }}|{{ [1, 2, 3] | sum }}|{{ [0.5, 0.25] | sum }}|{{ [3, 1, 2] | max }}|"
     "{{ ['b', 'A', 'c'] | min }}|{{ ['b', 'A', 'c'] | max(case_sensitive=true) }}|{{ [] | max }}|"
     "{{ [1, 2] | sum(start=10) }}", {}),
    ("filters_lists", "{{ people | map(attribute='name') | join(', ') }}|"
     "{{ people | selectattr('active') | map(attribute='name') | list }}|"
     "{{ people | rejectattr('active') | map(attribute='name') | list }}|"
     "{{ people | selectattr('age', 'gt', 26) | map(attribute='name') | join }}|"
     "{{ people | selectattr('name', 'equalto', 'Bob') | list | length }}|"
     "{{ people | sort(attribute='name') | map(attribute='name') | join(',') }}|"
     "{{ people | sort(attribute='age', reverse=true) | map(attribute='age') | join(',') }}|"
     "{{ people | map(attribute='missing', default='?') | join }}|{{ people | first }}|{{ (people | last).name }}|"
     "{{ people | length }}|{{ [1, 2, 3, 4, 5] | select('odd') | list }}|{{ [1, 2, 3, 4, 5] | reject('even') | list }}|"
     "{{ [0, 1, '', 'a', none] | select | list }}|{{ ['a', 'B', 'a', 'b'] | unique | list }}|"
     "{{ ['a', 'B', 'a', 'b'] | unique(case_sensitive=true) | list }}|{{ [3, 1, 2] | sort }}|"
     "{{ ['b', 'A', 'c'] | sort }}|{{ ['b', 'A', 'c'] | sort(case_sensitive=true) }}|{{ [1, 2, 3] | reverse | list }}|"
     "{{ 'abc' | reverse }}|{{ 'abc' | list }}|{{ [1, 2, 3, 4, 5] | batch(2) | list }}|{{ [1, 2, 3] | batch(2, 'x') | list }}|"
     "{{ ['a', 'b'] | map('upper') | join }}|{{ ['a', 'b'] | map('replace', 'a', 'z') | join }}|"
     "{{ people | join(', ', attribute='name') }}|{{ [1, 2] | join }}|{{ [none, 1] | join('/') }}|"
     "{{ people | map(attribute='tags') | select | list }}|{{ [[1, 'x'], [2, 'y']] | map(attribute='1') | join }}|"
     "{{ people | min(attribute='age') }}|{{ people | sum(attribute='age') }}|{{ [2, 1] | sort | first }}|"
     "{{ [] | first }}|{% if [] | select %}gen-true{% endif %}|{{ [1, 2, 3] | count }}",
     {"people": [{"name": "bob", "age": 30, "tags": ["x"]}, {"name": "Alice", "age": 25},
                 {"name": "Carol", "age": 35, "active": True}]}),
    ("filters_dicts", "{{ d | dictsort }}|{{ d | dictsort(reverse=true) }}|{{ d | dictsort(case_sensitive=true) }}|"
     "{{ d | dictsort(by='value') }}|{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %}|"
     "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{{ d.keys() | list }}|{{ d.values() | list }}|"
     "{{ d.get('a') }}|{{ d.get('zz') }}|{{ d.get('zz', 'dflt') }}|{{ d['b'] }}|{{ d.b }}|{{ 'a' in d }}|"
     "{{ 'z' not in d }}|{{ d | length }}|{{ d | list }}|{{ d.items | string | length > 0 }}|"
     "{{ e['items'] }}|{{ e.content }}", {"d": {"b": 2, "a": 1, "C": 3}, "e": {"items": "shadowed", "content": "c"}}),
    ("tojson", "{{ data | tojson }}\n{{ data | tojson(indent=2) }}\n{{ data | tojson(indent=4, sort_keys=true) }}\n"
     "{{ data | tojson(separators=(',', ':')) }}\n{{ data | tojson(ensure_ascii=true) }}\n{{ 'x' | tojson }}\n"
     "{{ none | tojson }}\n{{ [1.0, 1e20, -0.0, 0.1, 12345678901234567890.0] | tojson }}\n{{ (1, 2) | tojson }}\n"
     "{{ data.nested | tojson(indent='\\t') }}\n{{ [] | tojson(indent=2) }}\n{{ {'z': 1, 'a': 2} | tojson }}",
     {"data": {"name": "x", "nested": {"list": [1, 2.5, True, None, "é\"\n\t\u0001\u2028/<"]}, "empty": {}, "el": [],
               "zz": "😀"}}),
    ("tests", "{{ 1 is number }}{{ true is number }}{{ 1 is integer }}{{ true is integer }}{{ 1.0 is float }}"
     "{{ 'a' is string }}{{ {} is mapping }}{{ [] is mapping }}{{ [] is iterable }}{{ 'a' is iterable }}"
     "{{ 1 is iterable }}{{ none is none }}{{ nothing is undefined }}{{ [] is sequence }}{{ {} is sequence }}"
     "{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}{{ 'a' is eq 'a' }}"
     "{{ 2 is gt 1 }}{{ 2 is lt 1 }}{{ 2 is ge 2 }}{{ 2 is le 1 }}{{ 'a' is in 'abc' }}{{ 'abc' is lower }}"
     "{{ 'ABC' is upper }}{{ true is true }}{{ 1 is true }}{{ false is false }}{{ true is boolean }}"
     "{{ 'x' is not none }}{{ none is sameas none }}{{ range is callable }}{{ 'upper' is filter }}"
     "{{ 'odd' is test }}{{ 'nope' is filter }}{{ 2 is ne 3 }}{{ 2 is equalto 2 }}{{ 1 is greaterthan 0 }}"
     "{{ 1 is lessthan 0 }}{{ nothing is iterable }}{{ nothing is sequence }}{{ ns is mapping }}{{ 'x' is not string }}",
     {"ns": None}),
    ("compare_logic", "{{ 1 == 1.0 }}{{ 'a' == 'a' }}{{ [1, 2] == [1, 2] }}{{ (1, 2) == [1, 2] }}{{ 1 < 2 < 3 }}"
     "{{ 3 > 2 > 2 }}{{ 'a' < 'b' }}{{ [1, 2] < [1, 3] }}{{ none == none }}{{ 1 != 2 }}{{ true == 1 }}"
     "{{ {'a': 1} == {'a': 1.0} }}|{{ 0 or 'x' }}|{{ 'a' and 'b' }}|{{ '' and 'b' }}|{{ not 0 }}|{{ not [] }}|"
     "{{ 'y' if 1 > 2 else 'n' }}|{{ 'y' if 0 }}|{{ nothing or 'dflt' }}|{{ 1 in [1, 2] }}|{{ 'b' in 'abc' }}|"
     "{{ 3 not in [1] }}|{{ not 1 == 2 }}|{{ 1 if true else 2 if false else 3 }}|{{ none or false }}|"
     "{{ [] or {} }}|{{ 'Z' < 'a' }}|{{ 'é' > 'z' }}", {}),
    ("numbers_precedence", "{{ 0x1F }}|{{ 1_000 }}|{{ 0b101 }}|{{ 0o17 }}|{{ 1.5e3 }}|{{ 10 // 3 * 3 + 10 % 3 }}|"
     "{{ -2 ** 2 }}|{{ (-2) ** 2 }}|{{ 2 ** 3 ** 2 }}|{{ 1 + 2 * 3 - 4 / 2 }}|{{ -3 | abs }}|{{ - 3 | abs }}|"
     "{{ 2.5 * 2 }}|{{ 10 / 5 }}|{{ 1 - 0.9 }}|{{ 3 - true }}|{{ 1e3 | int }}", {}),
    ("loop_vars", "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
     "{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.cycle('odd', 'even') }}"
     "{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }}{{ loop.depth }}"
     "{{ loop.changed(x == 'c') }};{% endfor %}", {}),
    ("loop_forms", "{% for x in [] %}x{% else %}empty{% endfor %}|"
     "{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.index }}{{ loop.length }},{% endfor %}|"
     "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x > 4 %}{% break %}{% endif %}{{ x }}{% endfor %}|"
     "{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}|{% for (a, b) in [[5, 6]] %}{{ a * b }}{% endfor %}|"
     "{% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %}|{% for c in 'hé' %}[{{ c }}]{% endfor %}|"
     "{% for i in range(1, 10, 3) %}{{ i }}{% endfor %}|{% for i in range(5, 0, -2) %}{{ i }}{% endfor %}|"
     "{% for x in nothing %}no{% else %}undef-empty{% endfor %}|"
     "{% for m in msgs[1:] %}{{ m.role }}{% endfor %}|{% for m in msgs[::-1] %}{{ m.role }}{% endfor %}|"
     "{% for m in msgs if m.role != 'system' %}{{ loop.index }}{{ m.role }}{% endfor %}|"
     "{% for x in [1, 2, 3] %}{% if loop.last %}{% break %}{% endif %}{{ x }}{% else %}never{% endfor %}",
     {"msgs": [{"role": "system"}, {"role": "user"}, {"role": "assistant"}]}),
    ("scoping", "{% set x = 'outer' %}{% for i in range(2) %}{% set x = 'inner' ~ i %}{{ x }},{% endfor %}{{ x }}|"
     "{% set ns = namespace(total=0, names=[]) %}{% for i in range(4) %}{% set ns.total = ns.total + i %}"
     "{% set ns.names = ns.names + [i] %}{% endfor %}{{ ns.total }}{{ ns.names }}|"
     "{% for i in range(2) %}{% for j in range(2) %}{{ loop.index }}{{ i }}{{ j }} {% endfor %}{% endfor %}|"
     "{% for i in range(3) %}[{{ y }}]{% set y = i %}{% endfor %}|{% if true %}{% set z = 5 %}{% endif %}{{ z }}|"
     "{% set a, b = 1, 2 %}{{ a }}{{ b }}|{% set t = (1, 2) %}{{ t }}|{% set messages = messages + [{'role': 'x'}] %}"
     "{{ messages | length }}", {}),
    ("namespace_dict", "{% set ns = namespace(a=1) %}{% set ns.b = 'two' %}{{ ns.a }}{{ ns.b }}"
     "{{ ns.c | default('none') }}{{ ns['a'] }}|{% set d = dict(x=1, y=2) %}{{ d }}|"
     "{% set n2 = namespace({'k': 'v'}, j=2) %}{{ n2.k }}{{ n2.j }}|{{ ns }}|{{ dict([('p', 1)]) }}", {}),
    ("macros", "{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{% endmacro %}"
     "{{ greet('Ann') }} {{ greet('Bob', '?') }} {{ greet(punct='.', name='Cy') }} [{{ greet() }}]|"
     "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inside{% endcall %}|"
     "{% macro rec(n) %}{{ n }}{% if n > 0 %}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(3) }}|"
     "{% macro va() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ va(1, 2, k=3) }}|"
     "{% macro lst(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}"
     "{% call(item) lst([1, 2]) %}({{ item }}){% endcall %}|"
     "{% set outer = 'seen' %}{% macro uses_outer() %}{{ outer }}{% endmacro %}{{ uses_outer() }}|"
     "{% macro render_msg(m) %}\n  {{ m.role }}: {{ m.content }}\n{% endmacro %}{{ render_msg({'role': 'u', 'content': 'c'}) }}", {}),
    ("blocks", "{% set block %}  some {{ 'text' }}  {% endset %}[{{ block }}]|"
     "{% set up | upper %}shout{% endset %}{{ up }}|{% filter upper %}filtered {{ 'x' }}{% endfilter %}|"
     "{% filter replace('a', 'o') | upper %}banana{% endfilter %}|"
     "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]|{% print 'printed', 1 %}|"
     "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}"
     "{% else %}{{ m.content }}{% endif %}{% endfor %}",
     {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}),
    ("ws_loop_list", "<ul>\n  {% for x in [1, 2] %}\n    <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n", {}),
    ("ws_minus", "a  {%- if true -%}  b  {%- endif -%}  c|x  {{- 'y' -}}  z|\n  {%- set q = 1 -%}\n  end", {}),
    ("ws_var_minus_newlines", "a\n  {{- 'b' -}}  \n c\n{{ 'd' }}\n  {{ 'e' }}  \nf", {}),
    ("ws_lstrip_trim", "x {% if true %}y{% endif %} z\n  {% if true %}\n  indented\n  {% endif %}\nend\n"
     "\t{% if true %}tab{% endif %}\n    {% for i in [1] %}{{ i }}{% endfor %}   \nlast", {}),
    ("ws_comments", "{# comment #}\n  {# indented comment #}\nline\n{#- strip -#}\n  after\n  {#+ keep #}x\n"
     "a {# mid #} b\n", {}),
    ("ws_plus", "  {%+ if true %}keep-left{% endif +%}\nnext\n  {%+ set v = 1 %}|\n{% if true +%}\nnl-kept\n{% endif %}", {}),
    ("ws_var_after_text", "  {{ 'var' }}  {% if true %}\n  yes\n{% endif %}\n{{ 'v' }}  {% if true %}z{% endif %}", {}),
    ("ws_raw", "{% raw %}{{ not a var }} {% if %}{% endraw %}\n  {%- raw -%}  {% x %}  {%- endraw %}|"
     "\n  {% raw %}\n  r\n  {% endraw %}\n", {}),
    ("ws_crlf_tabs", "line1\r\n\t{% if true %}\r\n\tin\r\n\t{% endif %}\r\nline3\r\n", {}),
    ("ws_trailing_newlines", "{{ 'a' }}\n{{ 'b' }}\n\n", {}),
    ("ws_set_lines", "{% set x = 1 %}\n\n{% set y = 2 %}\n{{ x + y }}\n", {}),
    ("ws_indented_loop", "start\n    {%- for i in range(2) %}\n    {{ i }}\n    {%- endfor %}\nend", {}),
    ("ws_dict_in_var", "{{ {'a': {'b': 1}} }}|{{ {'a': 1}['a'] }}|{{ [{'x': 1}][0].x }}", {}),
    ("string_escapes", "{{ 'a\\tb' }}|{{ \"q\\\"q\" }}|{{ 'x\\ny' }}|{{ '\\u00e9\\x41\\101\\U0001F600' }}|"
     "{{ 'back\\\\' }}|{{ '\\d\\w' }}|{{ 'it\\'s' }}|{{ 'multi' 'part' \"string\" }}|{{ 'line\\\ncont' }}|"
     "{{ 'é\\é' }}|{{ '\\0' | length }}", {}),
    ("strftime", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %j %I%p %a %y %e') }}", {}),
    ("qwen3_like_split", "{% set content = m.content %}{% if '</think>' in content %}"
     "{% set reasoning = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}"
     "{% set content = content.split('</think>')[-1].lstrip('\\n') %}{% endif %}[{{ reasoning }}][{{ content }}]",
     {"m": {"content": "<think>\n\nstep 1\nstep 2\n\n</think>\n\nfinal"}}),
    ("messages_queries", "{{ messages | selectattr('role', 'equalto', 'user') | list | length }}|"
     "{{ (messages | selectattr('role', 'equalto', 'system') | first | default({})).content | default('no system') }}|"
     "{{ messages | map(attribute='role') | unique | join(',') }}|{{ messages[-1].role }}|{{ messages[0]['role'] }}",
     {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                   {"role": "user", "content": "c"}]}),
    ("unknown_filter_in_untaken_branch", "{% if false %}{{ x | nosuchfilter }}{% elif 0 %}{{ y is nosuchtest }}"
     "{% endif %}{{ 'ok' if true else z | nosuchfilter }}", {}),
    # errors: the C++ side must fail too (raise_exception messages must match exactly)
    ("err_unknown_filter_taken", "{% if true %}{{ 1 | nosuchfilter }}{% endif %}", {}),
    ("err_raise", "{{ raise_exception('custom failure: ' ~ 42) }}", {}),
    ("err_raise_in_loop", "{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}"
     "{{ raise_exception('Unsupported role: ' + m.role) }}{% endif %}{% endfor %}",
     {"messages": [{"role": "user"}, {"role": "robot"}]}),
    ("err_undefined_attr", "{{ nothing.attr }}", {}),
    ("err_type_add", "{{ 'a' + 1 }}", {}),
    ("err_zero_div", "{{ 1 / 0 }}", {}),
    ("err_missing_then_attr", "{{ d.a.b }}", {"d": {}}),
    ("err_unpack", "{% for a, b in [1] %}{% endfor %}", {}),
    ("err_list_append", "{% set l = [] %}{{ l.append(1) }}", {}),
    ("err_ns_assign", "{% set d = {} %}{% set d.x = 1 %}", {}),
    ("err_range", "{{ range(200000) | length }}", {}),
    ("err_none_iter", "{% for x in none %}{% endfor %}", {}),
    ("err_compare", "{{ 'a' < 1 }}", {}),
    ("err_tojson_undefined", "{{ nothing | tojson }}", {}),
    ("err_call_string", "{{ 'abc'() }}", {}),
]


def main():
    templates_out = {}
    sources = {}
    for name, spec in TEMPLATES.items():
        src = spec["source"]
        if src.startswith("fixture:"):
            source, special = load_fixture_template(src[len("fixture:"):])
        else:
            with open(os.path.join(HERE, src[len("file:"):]), encoding="utf-8") as f:
                source = f.read()
            if "special_from" in spec:
                _, special = load_fixture_template(spec["special_from"])
            else:
                special = spec["special_tokens"]
        assert source, name
        sources[name] = (source, special)
        templates_out[name] = {"source": src, "special_tokens": special}

    cases = []
    for tname, (source, special) in sources.items():
        for mname, (messages, extra) in MESSAGE_SETS.items():
            for agp in (False, True):
                case = {"template": tname, "messages_set": mname, "add_generation_prompt": agp,
                        "messages_json": json.dumps(messages, ensure_ascii=False),
                        "extra_json": json.dumps(extra, ensure_ascii=False)}
                case.update(render(source, special, messages, agp, extra))
                sorted_result = render(source, special, sort_keys(messages), agp, sort_keys(extra))
                if sorted_result.get("expected") != case.get("expected"):
                    case["expected_sorted"] = sorted_result.get("expected")
                cases.append(case)

    snippets = []
    for name, template, context in SNIPPETS:
        messages = context.get("messages", [])
        extra = {k: v for k, v in context.items() if k != "messages"}
        snippet = {"name": name, "template": template, "messages_json": json.dumps(messages, ensure_ascii=False),
                   "extra_json": json.dumps(extra, ensure_ascii=False)}
        snippet.update(render(template, {}, messages, False, extra))
        snippets.append(snippet)

    out = {"generator": "tests/data/chat/make_goldens.py", "jinja2": jinja2.__version__,
           "now": NOW.isoformat(), "templates": templates_out, "cases": cases, "snippets": snippets}
    with open(os.path.join(HERE, "goldens.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    errors = sum(1 for c in cases if "error" in c)
    print(f"{len(cases)} cases ({errors} expected errors), {len(snippets)} snippets -> goldens.json")


if __name__ == "__main__":
    main()
