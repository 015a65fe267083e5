"""Public participation beyond the website's lists: consultations on drafts
(意见征集) and their feedback, e-mail subscriptions, complaints about
disclosure (条例第四十七条), each department's own column, the joint
publication of a policy and its interpretation (政策解读) and the site's
emblem.

Its models live in the core (``disclosure/models/``: consultations,
complaints, subscriptions, site settings), because other parts read them
(the oversight pages count complaints and interpretations); the steps that
change them and the pages live here.
"""
