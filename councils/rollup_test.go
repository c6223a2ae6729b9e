package councils

import (
	"math"
	"slices"
	"testing"
)

// TestRollUpsAddUp: the root federation of federation-city holds every
// council, so its supply plus the endowments and its demand plus every
// collective request are the round's totals; the wards' numbers add up
// to the city's.
func TestRollUpsAddUp(t *testing.T) {
	e, err := loadExample(t, "federation-city")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Last()
	rus := e.RollUps(r, 1)
	city := rus[0]
	if city.Councils != 7 || city.Submitted != 7 || city.Folded || len(city.Withheld) != 0 {
		t.Fatalf("city: %+v", city)
	}
	for j, g := range e.Plan.Goods {
		allColl := 0.0
		for _, ru := range rus {
			allColl += ru.Collective[g.ID]
		}
		if s := city.Supply[g.ID] + g.Endowment; math.Abs(s-r.Supply[j]) > 1e-9*r.Supply[j] {
			t.Errorf("%s: city supplies %v + endowment, the round %v", g.ID, city.Supply[g.ID], r.Supply[j])
		}
		if d := city.Demand[g.ID] + allColl; math.Abs(d-r.Demand[j]) > 1e-9*r.Demand[j] {
			t.Errorf("%s: city demands %v + collective %v, the round %v", g.ID, city.Demand[g.ID], allColl, r.Demand[j])
		}
		wards := 0.0
		for _, ru := range rus[1:] {
			wards += ru.Supply[g.ID]
		}
		if math.Abs(wards-city.Supply[g.ID]) > 1e-9*wards {
			t.Errorf("%s: the wards supply %v, the city %v", g.ID, wards, city.Supply[g.ID])
		}
	}
	// East ward: ferry and mill supply labour, east-farm food.
	east := rus[1]
	if want := e.Plan.Councils[3].Hours + e.Plan.Councils[4].Hours; east.Supply["labor"] != want {
		t.Errorf("east supplies %v labour, want %v", east.Supply["labor"], want)
	}
	if b, _ := e.Collective(r, 1); east.Budget != b || east.Collective["parks"] == 0 || east.Collective["parks"]*r.Prices[4] > b*(1+1e-12) {
		t.Errorf("east: budget %v collective %v (its budget %v)", east.Budget, east.Collective, b)
	}
	if !slices.Equal(east.SubmittedMembers, []string{"ferry", "mill", "east-farm"}) {
		t.Errorf("east's members who submitted: %v", east.SubmittedMembers)
	}
}

// TestRollUpsPrivacy: with k = 3 a federation of fewer than 3 councils is
// folded, its collective requests counted in its parent's, and a side of
// a good with 1 or 2 councils behind it is withheld.
func TestRollUpsPrivacy(t *testing.T) {
	e := mustEconomy(t, mustParse(t, federatedHead+`[
	  {"id": "city", "levy": 0.05, "weights": {"parks": 1}},
	  {"id": "east", "parent": "city", "members": ["a", "b", "farm"]},
	  {"id": "west", "parent": "city", "members": ["parkers"]},
	  {"id": "corner", "parent": "west", "members": ["c"], "levy": 0.1, "weights": {"food": 1}}]}`))
	p, err := NewProcess(e, ProcessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Close(); err != nil {
		t.Fatal(err)
	}
	r := p.Board().Rounds()[0]
	rus := e.RollUps(r, 3)
	if rus[0].Folded || rus[1].Folded || !rus[2].Folded || !rus[3].Folded {
		t.Fatalf("folded: %v %v %v %v", rus[0].Folded, rus[1].Folded, rus[2].Folded, rus[3].Folded)
	}
	if rus[3].Supply != nil || rus[3].Budget != 0 || rus[2].Collective != nil {
		t.Errorf("a folded federation shows numbers: %+v %+v", rus[2], rus[3])
	}
	corner, _ := e.Collective(r, 3)
	_, food := e.Collective(r, 3)
	if corner == 0 || rus[0].Collective["food"] != food["food"] {
		t.Errorf("city's collective %v lacks corner's %v", rus[0].Collective, food)
	}
	// East: one farm makes food, two councils eat it: both withheld at
	// k = 3; at k = 2 only the supply.
	if !slices.Equal(rus[1].Withheld, []string{"food.demand", "food.supply", "labor.demand", "labor.supply", "land.demand"}) {
		t.Errorf("east withheld %v", rus[1].Withheld)
	}
	if _, ok := rus[1].Supply["food"]; ok {
		t.Error("east shows its one farm's food")
	}
	if _, ok := rus[1].Gaps["food"]; ok {
		t.Error("east shows the gap of a withheld good")
	}
	k2 := e.RollUps(r, 2)
	if _, ok := k2[1].Demand["food"]; !ok || !slices.Equal(k2[1].Withheld, []string{"food.supply", "labor.demand"}) {
		t.Errorf("k = 2: east shows %v, withholds %v", k2[1].Demand, k2[1].Withheld)
	}
	// Unrestricted, everything is there.
	if all := e.RollUps(r, 1); all[3].Folded || len(all[1].Withheld) != 0 || all[1].Supply["food"] == 0 {
		t.Errorf("k = 1: %+v", all[1])
	}
}

// TestRollUpGaps: the city of federation-city holds every council, so at
// the equilibrium its own gap is the plan's for the goods without an
// endowment, and land (an endowment, the whole plan's) has none; a ward
// that makes no food has a food gap of 1.
func TestRollUpGaps(t *testing.T) {
	e, err := loadExample(t, "federation-city")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	rus := e.RollUps(res.Last(), 1)
	for _, g := range []string{"labor", "food", "transit", "parks"} {
		if gap, ok := rus[0].Gaps[g]; !ok || gap > 1e-6 {
			t.Errorf("city's %s gap: %v %v", g, gap, ok)
		}
	}
	if _, ok := rus[0].Gaps["land"]; ok {
		t.Error("land, an endowment, has a federation gap")
	}
	if g := rus[2].Gaps["food"]; g != 1 {
		t.Errorf("the west ward makes no food but its gap is %v", g)
	}
}
