"""render_markdown's fallback when Python-Markdown runs out of stack (issue 16: make it reachable).

Python-Markdown recurses per nesting level: a list nested about 1000 levels deep raises
RecursionError (measured: after some 17 seconds), which is too slow for a unit test. The
test below makes convert() fail the same way, so the fallback itself is exercised.
"""

from __future__ import annotations

import markdown
import pytest

from facilitatie.tekst import render_markdown


def test_recursion_error_falls_back_to_escaped_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def te_diep(self: markdown.Markdown, source: str) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", te_diep)
    html = render_markdown("> > - *x* <script>alert(1)</script> & ok")
    assert html == "<p>&gt; &gt; - *x* &lt;script&gt;alert(1)&lt;/script&gt; &amp; ok</p>"
