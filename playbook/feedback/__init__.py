"""Client feedback text mining in English and French, with personal information removed first.

The stages, in the order the data flows through them:

1. :mod:`~playbook.feedback.redact` replaces personal information by typed placeholders and wraps
   the result in :class:`~playbook.feedback.redact.Redacted`;
2. :mod:`~playbook.feedback.language` (English, French or mixed),
   :mod:`~playbook.feedback.sentiment`, :mod:`~playbook.feedback.topics` and
   :mod:`~playbook.feedback.classify` accept only ``Redacted`` text, so raw comments cannot reach a
   model or a chart by mistake;
3. :mod:`~playbook.feedback.pipeline` chains them for a table of comments.
"""
