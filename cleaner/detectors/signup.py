"""Newsletter sign-up, account and paywall prompts."""

from __future__ import annotations

from collections.abc import Iterable

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Page
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["SignupPromptDetector"]


class SignupPromptDetector(Detector):
    """Removes newsletter sign-up, account and paywall prompts.

    **What**: short lines (at most thirty words) that match the sign-up phrase data:
    newsletter prompts ("SIGN UP", "For your free daily news bulletin", "Subscribe to our
    newsletter", "Enter your email", "Want more deals? Join the … Newsletter.") and account
    or paywall prompts ("Sign in / Register", "Subscribe Now", "To Read the Full Story",
    "You have reached your free article limit"). Phrases are data, one file per language;
    a prompt phrase is matched against the whole line (or as a marked prefix/suffix), so a
    prose sentence that merely mentions a newsletter does not match.

    **Why**: sign-up boxes and paywall teasers are marketing chrome repeated on every page;
    they talk to the reader about the site, not about the article's subject.

    **Known false positives**: a short article line that is itself an instruction in
    the same words ("Subscribe to our newsletter" quoted as an example, a how-to step such
    as "Log in"); a one-line article paragraph starting "Subscribe to our …".
    """

    name = "signup"
    NEWSLETTER = Rule("SIG1", "newsletter sign-up prompt")
    ACCOUNT = Rule("SIG2", "account, subscription or paywall prompt")
    rules = (NEWSLETTER, ACCOUNT)

    max_words = 30

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        newsletter = page.phrases.patterns(self.name, "newsletter")
        account = page.phrases.patterns(self.name, "account")
        out: list[Removal] = []
        # Only lines holding a gate word of either section are matched (phrase_masks).
        either = newsletter.bit | account.bit
        for number, mask in enumerate(phrase_masks(page), 1):
            if not mask & either or signals[number - 1].words > self.max_words:
                continue
            text = page.lines[number - 1].content
            if newsletter.matches(text, mask):
                out.append(self.removal(self.NEWSLETTER, number, reason="newsletter prompt"))
            elif account.matches(text, mask):
                out.append(self.removal(self.ACCOUNT, number, reason="account/paywall prompt"))
        return out
