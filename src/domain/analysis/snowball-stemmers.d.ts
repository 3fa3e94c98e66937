// The part of snowball-stemmers Brygga uses (the package ships no types).
declare module 'snowball-stemmers' {
  const snowball: { newStemmer(language: string): { stem(word: string): string } };
  export default snowball;
}
