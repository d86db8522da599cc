"""Stance of each mention toward its claim group's claim: favor, against or neutral.

No NLI model installs offline, so stance is built from what does:

* :mod:`claims.stance.lexicon`: French cue lexicons of support and opposition, negation and
  contrast markers (data files under ``claims/data/``);
* :mod:`claims.stance.classifier`: a logistic regression on e5-small sentence embeddings
  plus those cues and the attribution's speaker and reporting verb, calibrated so that
  ``neutral`` wins when the evidence is weak;
* :mod:`claims.stance.assign`: stance toward a *group's* claim, using the other mentions;
* :mod:`claims.stance.targets`: stance toward a named target (tweets about a candidate):
  the target's names masked as "la cible", its rivals' as "l'adversaire";
* :mod:`claims.stance.target_cues`: on a masked tweet, cues aimed at the target or its rival
  (a rival's turned around), features of the classifier.

Typical use::

    from claims.stance import assign_stances
    group = assign_stances(group, analysis.embeddings)  # vectors read at each mention's row
    StanceClassifier.load_default().predict_texts(tweets, target="Emmanuel Macron")
"""

from claims.stance.assign import assign_stances, contradicts_group, group_context
from claims.stance.classifier import (FEATURE_NAMES, StanceClassifier, StanceFeatures,
                                      default_encoder, stance_features)
from claims.stance.lexicon import CueHit, LexiconScore, StanceLexicon, default_lexicon, find_cues
from claims.stance.target_cues import TargetCues, target_cues
from claims.stance.targets import TargetMasker, mask_target

__all__ = ["assign_stances", "contradicts_group", "group_context", "StanceClassifier",
           "StanceFeatures", "stance_features", "default_encoder", "FEATURE_NAMES",
           "StanceLexicon", "CueHit", "LexiconScore", "default_lexicon", "find_cues",
           "TargetMasker", "mask_target", "TargetCues", "target_cues"]
