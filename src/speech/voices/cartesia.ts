import type { CatalogueVoice } from './catalogue.ts';

// Stock voices of Cartesia's public library, as its voice list (GET /voices) published them in
// November 2024: id, name, language and Cartesia's description. Cartesia's list then gave no
// gender or accent field: the gender here is the one the voice's own name says ("… Lady",
// "… Man"), and the accent the one its name or description states; neither is guessed otherwise.
// Cartesia keeps adding voices: with CARTESIA_API_KEY set, `parley voices` lists the live set.

type Gender = CatalogueVoice['gender'];
const v = (id: string, name: string, language: string, gender: Gender, accent: string | undefined, description?: string): CatalogueVoice => ({
  provider: 'cartesia',
  id,
  name,
  language,
  ...(accent ? { accent } : {}),
  ...(gender ? { gender } : {}),
  ...(description ? { description } : {}),
});

/** Cartesia library voices with their published language and description. */
export const CARTESIA_VOICES: readonly CatalogueVoice[] = [
  v('694f9389-aac1-45b6-b726-9d9369183238', 'Sarah', 'en', undefined, 'american', 'Natural and expressive with an American accent, for conversational use: customer support, sales, reception.'),
  v('156fb8d2-335b-4950-9cb3-a2d33befec77', 'Helpful Woman', 'en', 'female', undefined, 'Friendly and conversational, designed for customer support agents and casual conversations.'),
  v('829ccd10-f8b3-43cd-b8a0-4aeaa81f3b30', 'Customer Support Lady', 'en', 'female', undefined, 'Polite and helpful, for customer support agents.'),
  v('a167e0f3-df7e-4d52-a9c3-f949145efdab', 'Customer Support Man', 'en', 'male', undefined, 'Clear and calm, for a call center.'),
  v('820a3788-2b37-4d21-847a-b65d8a68c99a', 'Salesman', 'en', 'male', undefined, 'Smooth and persuasive, for sales pitches and phone conversations.'),
  v('a0e99841-438c-4a64-b679-ae501e7d6091', 'Barbershop Man', 'en', 'male', undefined, 'Smooth and relaxing, for a casual conversation.'),
  v('79a125e8-cd45-4c13-8a67-188112f4dd22', 'British Lady', 'en', 'female', 'british', 'Elegant with a slight British accent, for storytelling and narrating.'),
  v('71a7ad14-091c-4e8e-a314-022ece01c121', 'British Reading Lady', 'en', 'female', 'british', 'Calm and elegant with a British accent, for storytelling and narration.'),
  v('4d2fd738-3b3d-4368-957a-bb4805275bd9', 'British Narration Lady', 'en', 'female', 'british', 'Neutral with a British accent, for narrations.'),
  v('41f3c367-e0a8-4a85-89e0-c27bae9c9b6d', 'Australian Customer Support Man', 'en', 'male', 'australian', 'Warm with an Australian accent, for customer support agents.'),
  v('421b3369-f63f-4b03-8980-37a44df1d4e8', 'Friendly Australian Man', 'en', 'male', 'australian', 'Rich and deep, with an Australian accent, for casual conversations.'),
  v('8985388c-1332-4ce7-8d55-789628aa3df4', 'Australian Narrator Lady', 'en', 'female', 'australian', 'Even and neutral, with an Australian accent, for narrating content and stories.'),
  v('043cfc81-d69f-4bee-ae1e-7862cb358650', 'Australian Woman', 'en', 'female', 'australian', 'Deliberate and confident, with a slight Australian accent.'),
  v('ff1bb1a9-c582-4570-9670-5f46169d0fc8', 'Indian Customer Support Lady', 'en', 'female', 'indian', 'Clear and polite, with an Indian accent, for customer support agents.'),
  v('638efaaa-4d0c-442e-b701-3fae16aad012', 'Indian Man', 'en', 'male', 'indian', 'Smooth with an Indian accent, for a narrator.'),
  v('3b554273-4299-48b9-9aaf-eefd438e3941', 'Indian Lady', 'en', 'female', 'indian', 'Young, rich and curious, for a narrator or fictional character.'),
  v('34575e71-908f-4ab6-ab54-b08c95d6597d', 'New York Man', 'en', 'male', 'american', 'Compelling and husky, with a New York accent, for sales pitches and motivational content.'),
  v('565510e8-6b45-45de-8758-13588fbaec73', 'Midwestern Man', 'en', 'male', 'american', 'Neutral and smooth, with a slight midwestern accent, for narrations.'),
  v('726d5ae5-055f-4c3d-8355-d9677de68937', 'Kentucky Man', 'en', 'male', 'american', 'Laidback and smooth, with a Kentucky accent, for a casual conversation.'),
  v('4f8651b0-bbbd-46ac-8b37-5168c5923303', 'Kentucky Woman', 'en', 'female', 'american', 'Energetic and upbeat, with a slight Kentucky accent.'),
  v('21b81c14-f85b-436d-aff5-43f2e788ecf8', 'Laidback Woman', 'en', 'female', 'american', 'Laid back and husky, with a slight Californian accent.'),
  v('daf747c6-6bc2-4083-bd59-aa94dce23f5d', 'Middle Eastern Woman', 'en', 'female', 'middle eastern', 'Clear with a Middle Eastern accent, for a narrator.'),
  v('bf991597-6c13-47e4-8411-91ec2de5c466', 'Newslady', 'en', 'female', undefined, 'Authoritative and educational, for a news anchor.'),
  v('d46abd1d-2d02-43e8-819f-51fb652c1c61', 'Newsman', 'en', 'male', undefined, 'Neutral and educational, for a news anchor.'),
  v('00a77add-48d5-4ef6-8157-71e5437b282d', 'Calm Lady', 'en', 'female', undefined, 'Calm and nurturing, for a narrator.'),
  v('3f4ade23-6eb4-4279-ab05-6a144947c4d5', 'German Conversational Woman', 'de', 'female', undefined, 'Rich and friendly, for casual conversations in German.'),
  v('fb9fcab6-aba5-49ec-8d7e-3f1100296dde', 'Friendly German Man', 'de', 'male', undefined, 'Friendly and inviting, for casual conversations in German.'),
  v('a249eaff-1e96-4d2c-b23b-12efa4f66f41', 'French Conversational Lady', 'fr', 'female', undefined, 'Gentle and smooth, for casual conversations in French.'),
  v('ab7c61f5-3daa-47dd-a23b-4ac0aac5f5c3', 'Friendly French Man', 'fr', 'male', undefined, 'Friendly and calm, for French customer support agents.'),
  v('5c5ad5e7-1020-476b-8b91-fdcbe9cc313c', 'Mexican Woman', 'es', 'female', 'mexican', 'Even with a Mexican accent, for narrational content in Spanish.'),
  v('846fa30b-6e1a-49b9-b7df-6be47092a09a', 'Spanish-speaking Storyteller Man', 'es', 'male', undefined, 'Warm and rich, for narrating stories in Spanish.'),
  v('700d1ee3-a641-4018-ba6e-899dcadc9e2b', 'Pleasant Brazilian Lady', 'pt', 'female', 'brazilian', 'Pleasant and clear, for casual conversations in Portuguese.'),
  v('2b568345-1d48-4047-b25f-7baccf842eb0', 'Japanese Woman Conversational', 'ja', 'female', undefined, 'Gentle and friendly, for casual conversations in Japanese.'),
  v('e8a863c6-22c7-4671-86ca-91cacffc038d', 'Japanese Male Conversational', 'ja', 'male', undefined, 'Clear and confident, for a Japanese call center agent.'),
  v('e90c6678-f0d3-4767-9883-5d0ecf5894a8', 'Chinese Female Conversational', 'zh', 'female', undefined, 'Friendly and inviting, for casual conversations in Chinese.'),
  v('575a5d29-1fdc-4d4e-9afa-5a9a71759864', 'Polish Narrator Woman', 'pl', 'female', undefined),
  v('3d335974-4c4a-400a-84dc-ebf4b73aada6', 'Polish Confident Man', 'pl', 'male', undefined),
  v('0e21713a-5e9a-428a-bed4-90d410b87f13', 'Italian Narrator Woman', 'it', 'female', undefined),
  v('408daed0-c597-4c27-aae8-fa0497d644bf', 'Italian Calm Man', 'it', 'male', undefined),
  v('4aa74047-d005-4463-ba2e-a0d9b261fb87', 'Dutch Man', 'nl', 'male', undefined),
  v('f852eb8d-a177-48cd-bf63-7e4dcab61a36', 'Swedish Calm Lady', 'sv', 'female', undefined),
];
