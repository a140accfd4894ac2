import type { Relationship } from "~/vocabulary";

/** Names and words for a program that reads like a real one. None of it is anybody's. */

export const firstNames = [
  "Jordan",
  "Alex",
  "Sam",
  "Taylor",
  "Morgan",
  "Casey",
  "Riley",
  "Jamie",
  "Avery",
  "Quinn",
  "Devon",
  "Reese",
  "Maya",
  "Noah",
  "Liam",
  "Emma",
  "Olivia",
  "Ava",
  "Sofia",
  "Mateo",
  "Lucas",
  "Mia",
  "Ethan",
  "Isabella",
  "Aiden",
  "Chloe",
  "Elijah",
  "Grace",
  "Amara",
  "Kwame",
  "Priya",
  "Arjun",
  "Mei",
  "Hiro",
  "Fatima",
  "Omar",
  "Lena",
  "Tomás",
  "Ines",
  "Dmitri",
  "Nadia",
  "Femi",
  "Zoe",
  "Caleb",
  "Hannah",
  "Isaac",
  "Ruth",
  "Marcus",
  "Tanya",
  "Andre",
  "Keisha",
  "Luis",
  "Rosa",
  "Wyatt",
  "Nora",
  "Owen",
  "Leah",
  "Gabe",
  "Dana",
  "Pat",
] as const;

export const lastNames = [
  "Rivera",
  "Chen",
  "Okafor",
  "Nguyen",
  "Patel",
  "Johnson",
  "Garcia",
  "Kim",
  "Smith",
  "Williams",
  "Brown",
  "Jones",
  "Miller",
  "Davis",
  "Martinez",
  "Lopez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Mensah",
  "Haddad",
  "Kowalski",
  "Novak",
  "Silva",
  "Costa",
  "Ibrahim",
] as const;

/** Relationships as patients choose them; family shares the patient's last name. */
export const relationshipWeights: readonly (readonly [Relationship, number])[] = [
  ["partner", 22],
  ["parent", 22],
  ["sibling", 14],
  ["friend", 16],
  ["child", 6],
  ["other_family", 8],
  ["sponsor", 8],
  ["other", 4],
];

export const familyRelationships: readonly Relationship[] = ["partner", "parent", "sibling", "child", "other_family"];

export const purposes = [
  "To support my recovery",
  "So my family can help me stay on track",
  "So they know how I'm doing without having to ask",
  "To help me keep my appointments and my plan",
] as const;

export const refusalReasons = [
  "Let's talk about this invitation at your next session first.",
  "We think this person should join after family session.",
  "Please invite them again once you've both been to the family evening.",
] as const;

export const safetyNotes = [
  "Patient disclosed ongoing conflict; revisit in session.",
  "Concern about contact with this person; discussed with the patient.",
] as const;

export const wins = [
  "Went to all three sessions",
  "Walked after dinner",
  "Said no to a party",
  "Slept through the night",
  "Cooked for the family",
  "Called my sponsor",
  "Went to a meeting",
  "Finished a hard week at work",
  "Spent the afternoon with my kids",
  "Got out for a run",
  "Made it to the gym",
  "Talked it through instead of using",
  null,
] as const;

export const hardParts = [
  "Payday was rough",
  "Argument at work",
  "Old friends called",
  "Felt on edge all evening",
  "Couldn't sleep",
  "Cravings after dinner",
  "Bills piling up",
  "Family gathering was hard",
  "Bored and restless",
  null,
  null,
] as const;

export const helpRequests = [
  "A text on Friday evening would help.",
  "Could someone drive me on Tuesday?",
  "I'd like a call tonight if anyone is free.",
  "Please check in with me this weekend.",
] as const;

export const slipAccounts = [
  "I drank on Saturday night. I told my therapist and I'm back on track.",
  "I used after an argument. I called my sponsor the next morning.",
  "I slipped at a party. I'm going to more meetings this week.",
] as const;

export const replyMessages = [
  "Proud of you. Here if you need anything.",
  "Thank you for telling me. I'm here.",
  "That's a big step. See you Sunday?",
  "Thinking of you today.",
] as const;

export const planDetails = [
  "Tuesday and Thursday sessions at 6 pm",
  "Evenings after 7 pm",
  "Weekends are the hardest",
  "Someone to call if I can't reach my sponsor",
  null,
  null,
] as const;

export const reflections = [
  "I want to listen more and fix less.",
  "I didn't know cravings could come in waves like that. It helps to know.",
  "I'm going to stop asking 'did you use?' first thing.",
  "I need to look after myself too, or I can't help.",
] as const;
