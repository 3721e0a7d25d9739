"""Writes second_annotator_test_mts.jsonl from hand-chosen substrings (the choices were made by reading
each note; this script only turns them into offsets and validates). Stdlib only."""
from _second import CC, PR, F, N, P, cc, write

PICK = [20, 22, 24, 26, 28, 30, 32, 33, 34, 35, 36, 37, 38, 39, 40]

# note_id -> (spans [(substring, label, attrs)], negated [(substring, label)])
ANN = {
    "mts-1689": ([
        ("She delivered on the 31st of October, by Cesarean section, because she had failed to progress and had pyrexia", N, {}),
        ("On the 1st of November 2008, they began to mobilize her and it was at that time that she first noticed that she could not walk", F, {"direction": "none"}),
        ("She is not able to walk by herself, and needs assistance to stand", F, {"direction": "none"}),
        ("She has been taking gabapentin to try to reduce the discomfort, although she is on a very low dose and the effect is minimal", CC, cc("neuropathic", "failed")),
        ("Gabapentin 300 mg b.i.d., Centrum once a day, and another multivitamin", CC, cc("neuropathic")),
        ("She is working approximately half time because of limitations imposed on her by her disability, need to attend frequent physical therapy, and also the needs of looking after her baby", F, {"direction": "none"}),
        ("She is working approximately half time because of limitations imposed on her by her disability, need to attend frequent physical therapy, and also the needs of looking after her baby", CC, cc("physical_therapy")),
        ("a pain score of 0", P, {"value": 0, "scale": "nrs"}),
        ("The patient was unable to stand and therefore we were unable to test gait or Romberg's", F, {"direction": "none"}),
        ("The issue of having a lumbar puncture to look for evidence of inflammatory cells or an elevated protein had been discussed with her at both ABC and by myself", N, {}),
        ("At the present time, she is able to stand with aid but is unable to walk", F, {"direction": "none"}),
        ("She is informed that this is still early in the course of the problem and that we expect her to show some improvement in her function over the next one to two years, although it is unclear as to how much function she will regain", F, {"direction": "none"}),
        ("She is strongly recommended to continue with vigorous physical therapy, and to continue with the plan to mobilize her as much as possible, with the goal of trying to get her ambulatory", CC, cc("physical_therapy")),
        ("If she is able to walk, she will need bilateral AFOs for her ankles, to improve her overall mobility", N, {}),
        ("We discussed increasing the dose of gabapentin", CC, cc("neuropathic")),
        ("If this is the case, I have advised her to increase her gabapentin dose from 300 mg b.i.d. gradually up to 300 mg four times a day and then to 600 mg to 900 mg four times a day", CC, cc("neuropathic")),
        ("She will also continue with physical therapy within the ABC system", CC, cc("physical_therapy")),
    ], [
        ("I am not prescribing these because at the present time she does not need them", N),
    ]),
    "mts-1712": ([
        ("Sacroiliac joint pain", N, {}),
    ], []),
    "mts-1904": ([
        ("They were feeling relief by the time they left the building", PR, {"relief_pct": None, "duration_weeks": None}),
    ], []),
    "mts-1907": ([
        ("They were feeling relief by the time the block had set", PR, {"relief_pct": None, "duration_weeks": None}),
    ], []),
    "mts-2047": ([
        ("Mr. XXXX does state that he did undergo surgical intervention as related to the right knee and it was noted that the reconstruction had failed", PR, {"relief_pct": 0, "duration_weeks": None}),
        ("Thereafter, Dr. X felt that two additional surgeries were indicated, that related to a bone graft and a reconstruction of the ACL with allograft", N, {}),
        ("Thereafter, he did an extensive course of physical therapy, work hardening, and a work conditioning type program", CC, cc("physical_therapy")),
        ("He is unable to crawl and/or kneel", F, {"direction": "none"}),
        ("He does state he is able to walk a city block and in fact, he is able to do 20 minutes of a treadmill", F, {"direction": "none"}),
        ("Stairs are a significant problem", F, {"direction": "none"}),
        ("His pain is a 5 to 6 on a scale of 1 to 10", P, {"value": 6, "scale": "nrs"}),
        ("He is better when he is resting, sitting, propped up, and utilizing his ice", CC, cc("ice_heat", "helped")),
        ("He is much worse when he is doing any type of physical activity", F, {"direction": "none"}),
        ("Over-the-counter pain medication", CC, cc("other")),
        ("The patient is able to stand from a seated position and sit from a standing position without difficulty", F, {"direction": "none"}),
        ("This procedure has corrected the instability that was indeed present", PR, {"relief_pct": None, "duration_weeks": None}),
    ], [
        ("Based upon the allowed conditions of the claim, no further treatment is medically necessary and reasonably related with respect to the allowed conditions of the claim", N),
        ("Based upon the allowed conditions of the claim, it is not reasonably necessary and appropriate and reasonably related to the allowed conditions for the claimant to have a functional capacity evaluation", N),
        ("Once again, it is my opinion that a functional capacity evaluation is not medically necessary and/or reasonable related to the allowed conditions of the claim", N),
        ("There is really no indication for a functional capacity evaluation based upon the allowed conditions of the claim etc", N),
    ]),
    "mts-2204": ([], []),
    "mts-2485": ([
        ("This patient is one-day postop open parathyroid exploration with subtotal parathyroidectomy and intraoperative PTH monitoring for parathyroid hyperplasia", N, {}),
    ], []),
    "mts-2737": ([
        ("The patient is a 77-year-old Hispanic male who presents to ABCD Hospital for surgical correction of a painful second digit hammertoe", N, {}),
        ("The patient has failed attempts at conservative treatment and is unable to wear shoes without pain to his second toe", N, {}),
        ("The patient has failed attempts at conservative treatment and is unable to wear shoes without pain to his second toe", CC, cc("conservative_unspecified", "failed")),
        ("The patient has failed attempts at conservative treatment and is unable to wear shoes without pain to his second toe", F, {"direction": "none"}),
    ], []),
    "mts-276": ([], []),
    "mts-409": ([], []),
    "mts-548": ([
        ("This 52y/o RHF was transferred from a local hospital to UIHC on 10/28/94 with a history of progressive worsening of vision, dysarthria, headache, and incoordination beginning since 2/94", N, {}),
        ("She also began experiencing increased blurred vision, worsening dysarthria and difficulty hand writing", F, {"direction": "worsened"}),
        ("She had difficulty walking and generalized weakness", F, {"direction": "none"}),
        ("On 10/14/94, she lost the ability to walk by herself", F, {"direction": "worsened"}),
        ("By time of discharge, 12/2/94, she was very somnolent and difficult to arouse and required NGT feeding and 24hour supportive care", F, {"direction": "none"}),
    ], [
        ("MEDS: none", CC),
    ]),
    "mts-58": ([
        ("It does bother her at night when she sleeps, and she is here now to have it checked out", F, {"direction": "none"}),
        ("If it is not better, she could consider an MRI before coming to visit and we will reassess", N, {}),
        ("We will consider a cortisone shot at that point", N, {}),
        ("Therapy for shoulder impingement was outlined", N, {}),
    ], []),
    "mts-67": ([
        ("Evaluation for right L4 selective nerve root block", N, {}),
        ("She underwent an L3-4 decompression in Month DD, YYYY by Dr. Stanley Gertzbein for back and bilateral lower extremity pain", N, {}),
        ("Shortly after surgery, she began having pain in the right L4 distribution and is seen today with an outside lumbar MRI only", N, {}),
        ("Shortly after surgery, she began having pain in the right L4 distribution and is seen today with an outside lumbar MRI only", PR, {"relief_pct": None, "duration_weeks": None}),
        ("According to Dr. Reitman's notes, she is being sent for an L4 selective nerve root block to rule out whether or not she would be a candidate for a TLIF at L4-5", N, {}),
        ("It is worse with standing and walking", F, {"direction": "none"}),
        ("She can walk about a block before her symptoms become debilitating", F, {"direction": "none"}),
        ("She rates her pain as 9/10 in average and her daily level of intensity", P, {"value": 9, "scale": "nrs"}),
        ("5/10 for her least level of pain", P, {"value": 5, "scale": "nrs"}),
        ("Alleviating factors include sitting, recumbency, sleeping, and massage", CC, cc("massage", "helped")),
        ("She treats her pain with Tylenol currently", CC, cc("acetaminophen")),
        ("Significant impact on almost every aspect of her quality of life", F, {"direction": "none"}),
    ], []),
    "mts-778": ([
        ("The pain was gone post procedure, consistent with the diagnosis, as well as with adequacy of medication placement", PR, {"relief_pct": 100, "duration_weeks": None}),
    ], []),
    "mts-934": ([
        ("The patient is employed on her feet as a hospital employee and states that she does wear a functional orthotic which does provide some relief of forefoot pain although not complete", CC, cc("bracing", "partial")),
        ("The patient would require an open wedge osteotomy to reduce the intermetatarsal angle with the lateral release and a decompression osteotomy at the second metatarsal", N, {}),
    ], []),
}



def main():
    write(PICK, ANN, "iaa3", "second_annotator_test_mts.jsonl")


if __name__ == "__main__":
    main()
